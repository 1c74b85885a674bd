/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SHADOWVMM_KUNIT_TEST_VCPU_H
#define SHADOWVMM_KUNIT_TEST_VCPU_H

#include <kunit/test.h>
#include "vcpu.h"

struct shadowvmm_vcpu *shadowvmm_test_vcpu_new(struct kunit *test,
					       u64 ram_size, u32 entry);
void shadowvmm_test_vcpu_exit(struct kunit *test);

#endif
