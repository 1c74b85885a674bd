// SPDX-License-Identifier: GPL-2.0
/* Built into the test module: KUnit in 6.1 cannot call into shadowvmm.ko. */
#include "../../kmod/vcpu.c"
