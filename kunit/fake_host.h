/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_KUNIT_FAKE_HOST_H
#define SHADOWVMM_KUNIT_FAKE_HOST_H

#include "emulate.h"

extern u64 shadowvmm_fake_seg_base[SHADOWVMM_SEG_GS + 1];

#endif
