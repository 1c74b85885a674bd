# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Bad input: status 1 and one line on stderr starting "shadowvmm: ".
. /test/lib.sh

expect_error error-missing-file 1 shadowvmm run /nonexistent.elf
printf 'this is not an ELF image\n' >/tmp/not-elf.elf
expect_error error-not-elf 1 shadowvmm run /tmp/not-elf.elf
# hello is linked at 1 MiB: it cannot fit in 1 MiB of guest RAM
expect_error error-image-too-big 1 shadowvmm run "$G/hello.elf" --mem 1M
expect_error error-unknown-vm-show 1 shadowvmm show 999
expect_error error-unknown-vm-start 1 shadowvmm start 999
expect_error error-unknown-vm-destroy 1 shadowvmm destroy 999
expect_error error-unknown-vm-load 1 shadowvmm load 999 "$G/hello.elf"
expect_error error-usage 2 shadowvmm no-such-command
