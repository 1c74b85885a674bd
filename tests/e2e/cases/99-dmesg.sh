# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# At the end the kernel log holds no BUG, WARNING or oops.
. /test/lib.sh

bad=$(dmesg | dmesg_bad)
check dmesg-clean "$bad"
