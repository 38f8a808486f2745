/* SPDX-License-Identifier: MIT */
/* The MSR layer front (msr.c): owned MSRs, names, dispatch, counters, reset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "msr/msr.h"
#include "test_msr_models.h"
#include "util/err.h"

static struct msr_vm vm;
static struct msr_vcpu v;

static void test_owned(void **state)
{
	static const uint32_t want[] = {
		0x48, 0x49, 0x10a, 0x10b, 0xda0, 0x6a0, 0x6a2, 0x6a4, 0x6a5, 0x6a6, 0x6a7,
		0x6a8, 0x50000000, 0x50000001, 0x50000002,
	};
	static const uint32_t not[] = { 0, 0x47, 0x4a, 0x10c, 0x6a1, 0x6a3, 0x6a9, 0xda1,
					0x4fffffff, 0x50000003, 0xc001011f, 0xffffffff };

	(void)state;
	assert_int_equal(msr_layer_count, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_true(msr_layer_owns(want[i]));
		assert_string_not_equal(msr_name(want[i]), "unknown MSR");
	}
	for (size_t i = 0; i < sizeof(not) / sizeof(not[0]); i++) {
		assert_false(msr_layer_owns(not[i]));
		assert_string_equal(msr_name(not[i]), "unknown MSR");
	}
	for (unsigned int i = 0; i < msr_layer_count; i++)
		for (unsigned int j = i + 1; j < msr_layer_count; j++)
			assert_int_not_equal(msr_layer_indices[i], msr_layer_indices[j]);
	assert_string_equal(msr_name(0x48), "IA32_SPEC_CTRL");
	assert_string_equal(msr_name(0x50000002), "MSR_VIRTUAL_MITIGATION_CTRL");
}

static void test_unhandled(void **state)
{
	uint64_t r = 9;

	(void)state;
	tm_vm(&vm, TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, true);
	msr_vcpu_init(&vm, &v);
	assert_int_equal(msr_read(&vm, &v, 0x10, &r, MSR_GUEST), MSR_UNHANDLED);
	assert_int_equal(r, 9);
	assert_int_equal(msr_write(&vm, &v, 0x50000003, 0, MSR_GUEST), MSR_UNHANDLED);
	assert_int_equal(msr_write(&vm, &v, 0x6a1, 0, MSR_HOST), MSR_UNHANDLED);
	assert_int_equal(v.nreads + v.nwrites + v.ngp, 0);
}

/* Every guest access to every owned MSR on a model with nothing #GPs with a
 * one-line reason naming the access. */
static void test_every_gp_has_reason(void **state)
{
	(void)state;
	tm_vm(&vm, TM_EMPTY, TM_EMPTY, POLICY_GUEST_REQUEST, false);
	msr_vcpu_init(&vm, &v);
	for (unsigned int i = 0; i < msr_layer_count; i++) {
		uint32_t idx = msr_layer_indices[i];
		uint64_t r;

		err_clear();
		assert_int_equal(msr_read(&vm, &v, idx, &r, MSR_GUEST), MSR_GP);
		assert_non_null(strstr(err_msg(), "guest RDMSR 0x"));
		assert_null(strchr(err_msg(), '\n'));
		err_clear();
		/* Value 2: invalid everywhere (and nonzero for the lenient paths). */
		assert_int_equal(msr_write(&vm, &v, idx, 2, MSR_GUEST), MSR_GP);
		assert_non_null(strstr(err_msg(), "guest WRMSR 0x"));
		assert_null(strchr(err_msg(), '\n'));
	}
	assert_int_equal(v.nreads, msr_layer_count);
	assert_int_equal(v.nwrites, msr_layer_count);
	assert_int_equal(v.ngp, 2 * msr_layer_count);
}

static void test_counters_and_reset(void **state)
{
	uint64_t r;

	(void)state;
	tm_vm(&vm, TM_SPR_RAW, TM_SPR_RAW, POLICY_ALWAYS, true);
	memset(&v, 0xa5, sizeof(v));		/* msr_vcpu_init must not trust memory */
	msr_vcpu_init(&vm, &v);
	assert_int_equal(v.nreads + v.nwrites + v.ngp, 0);
	assert_int_equal(v.spec_ctrl, 0);
	assert_int_equal(v.spec_ctrl_eff, SPEC_CTRL_BHI_DIS_S | SPEC_CTRL_RRSBA_DIS_S);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, 1, MSR_GUEST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, 1ull << 9, MSR_GUEST), MSR_GP);
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_SPEC_CTRL, &r, MSR_GUEST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_XSS, 0x800, MSR_HOST), MSR_OK);
	assert_int_equal(v.nwrites, 2);
	assert_int_equal(v.nreads, 1);
	assert_int_equal(v.ngp, 1);
	msr_vcpu_reset(&vm, &v);
	assert_int_equal(v.nwrites, 2);		/* counters survive RESET */
	assert_int_equal(v.xss, 0);
	assert_int_equal(v.spec_ctrl, 0);
	assert_int_equal(v.dirty, MSR_DIRTY_SPEC_CTRL | MSR_DIRTY_CET);
	msr_vcpu_init(&vm, &v);
	assert_int_equal(v.nwrites, 0);
}

/* Policy change at run time: msr_vcpu_refresh re-derives the value in force. */
static void test_refresh(void **state)
{
	(void)state;
	tm_vm(&vm, TM_SPR_RAW, TM_SPR_RAW, POLICY_OFF, true);
	msr_vcpu_init(&vm, &v);
	assert_int_equal(msr_write(&vm, &v, MSR_VIRTUAL_MITIGATION_CTRL, 1, MSR_GUEST), MSR_OK);
	assert_int_equal(v.spec_ctrl_eff, 0);
	vm.force.policy = POLICY_GUEST_REQUEST;
	v.dirty = 0;
	msr_vcpu_refresh(&vm, &v);
	assert_int_equal(v.spec_ctrl_eff, SPEC_CTRL_BHI_DIS_S);
	assert_int_equal(v.dirty, MSR_DIRTY_SPEC_CTRL);
	v.dirty = 0;
	msr_vcpu_refresh(&vm, &v);
	assert_int_equal(v.dirty, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owned),
		cmocka_unit_test(test_unhandled),
		cmocka_unit_test(test_every_gp_has_reason),
		cmocka_unit_test(test_counters_and_reset),
		cmocka_unit_test(test_refresh),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
