/* SPDX-License-Identifier: MIT */
/* IA32_ARCH_CAPABILITIES (§2.2, §2.3) and its bit 63 VIRTUAL_ENUM (§3.1). */
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

/* Guest reads return the model's value, with bit 63 iff virtual MSRs. */
static void test_read_values(void **state)
{
	static const struct { enum tm_id m; bool virt; uint64_t want; } t[] = {
		{ TM_SPR_RAW, true, ARCH_CAP_VIRTUAL_ENUM | 0xa8fdeb },
		{ TM_SPR_RAW, false, 0xa8fdeb },
		{ TM_GNR_RAW, true, ARCH_CAP_VIRTUAL_ENUM | 0x2da9fdeb },
		{ TM_ICX_RAW, false, 0x1eb },
		{ TM_CLX_KVM, true, ARCH_CAP_VIRTUAL_ENUM | 0x0c0aa0eb },
		{ TM_EMR_RAW, true, ARCH_CAP_VIRTUAL_ENUM | 0x6c28fdeb },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t r = 0;

		tm_vm(&vm, t[i].m, t[i].m, POLICY_GUEST_REQUEST, t[i].virt);
		msr_vcpu_init(&vm, &v);
		assert_true(vm.arch_cap_exposed);
		assert_int_equal(msr_read(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, &r, MSR_GUEST), MSR_OK);
		assert_int_equal(r, t[i].want);
		assert_int_equal(msr_read(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, &r, MSR_HOST), MSR_OK);
		assert_int_equal(r, t[i].want);
	}
}

/* A model value carrying bit 63 loses it when the VM offers no virtual MSRs. */
static void test_virtual_enum_follows_config(void **state)
{
	(void)state;
	tm_vm(&vm, TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, false);
	vm.arch_cap |= ARCH_CAP_VIRTUAL_ENUM;
	msr_vm_init(&vm);
	assert_int_equal(vm.arch_cap, 0xa8fdeb);
	/* Not exposed: bit 63 is not added even with virt_msrs. */
	tm_vm(&vm, TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, true);
	vm.arch_cap_exposed = false;
	msr_vm_init(&vm);
	assert_int_equal(vm.arch_cap, 0xa8fdeb);
	/* msr_vm_init is idempotent. */
	vm.arch_cap_exposed = true;
	msr_vm_init(&vm);
	msr_vm_init(&vm);
	assert_int_equal(vm.arch_cap, ARCH_CAP_VIRTUAL_ENUM | 0xa8fdeb);
}

/* §2.2: the guest may read only with CPUID.7.0:EDX[29]; on AMD it is opt-in. */
static void test_not_exposed(void **state)
{
	uint64_t r = 3;

	(void)state;
	/* Milan RAW 7.0.EDX 0x10: no ARCH_CAPABILITIES bit; exposure is dropped. */
	tm_vm(&vm, TM_MILAN_RAW, TM_MILAN_RAW, POLICY_GUEST_REQUEST, true);
	vm.arch_cap_exposed = true;
	msr_vm_init(&vm);
	msr_vcpu_init(&vm, &v);
	assert_false(vm.arch_cap_exposed);
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, &r, MSR_GUEST), MSR_GP);
	assert_int_equal(r, 3);
	assert_string_equal(err_msg(), "guest RDMSR 0x10a: IA32_ARCH_CAPABILITIES not enumerated "
			    "by the CPU model (needs CPUID.7.0:EDX[29]; on AMD models it is opt-in)");
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, &r, MSR_HOST), MSR_OK);
	assert_int_equal(r & ARCH_CAP_VIRTUAL_ENUM, 0);

	/* Genoa KVM with 7.0.EDX[29] set (KVM always sets it, FC clears it on
	 * AMD, cpu-generations.md §1) and the value KVM synthesises for Genoa
	 * (LV 0x0c000069, §3.10): opted in. */
	tm_vm(&vm, TM_GENOA_KVM, TM_GENOA_KVM, POLICY_GUEST_REQUEST, true);
	cpuid_set_feature(&vm.cpuid, F_ARCH_CAPABILITIES, true);
	vm.arch_cap = 0x0c000069;
	vm.arch_cap_exposed = true;
	msr_vm_init(&vm);
	msr_vcpu_init(&vm, &v);
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, &r, MSR_GUEST), MSR_OK);
	assert_int_equal(r, ARCH_CAP_VIRTUAL_ENUM | 0x0c000069);
	/* Not opted in: no access although CPUID has the bit. */
	vm.arch_cap_exposed = false;
	vm.arch_cap = 0x0c000069;
	msr_vm_init(&vm);
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, &r, MSR_GUEST), MSR_GP);
}

/* Guest writes #GP, whatever the value; host writes only the same value. */
static void test_writes(void **state)
{
	struct msr_vcpu before;

	(void)state;
	tm_vm(&vm, TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, true);
	msr_vcpu_init(&vm, &v);
	before = v;
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, vm.arch_cap, MSR_GUEST),
			 MSR_GP);
	assert_non_null(strstr(err_msg(), "IA32_ARCH_CAPABILITIES is read-only"));
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, 0, MSR_GUEST), MSR_GP);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, vm.arch_cap, MSR_HOST),
			 MSR_OK);
	/* Restore from a VM without virtual MSRs (no bit 63): refused. */
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, 0xa8fdeb, MSR_HOST), MSR_GP);
	assert_non_null(strstr(err_msg(), "differing bits 0x8000000000000000"));
	/* Restore from another model (Ice Lake's 0x1eb). */
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, 0x1eb, MSR_HOST), MSR_GP);
	assert_non_null(strstr(err_msg(), "host write 0x10a value 0x1eb: IA32_ARCH_CAPABILITIES "
			       "is fixed by the CPU model"));
	assert_memory_equal(&before, &v, TM_VCPU_STATE_SIZE);
	assert_int_equal(vm.arch_cap, ARCH_CAP_VIRTUAL_ENUM | 0xa8fdeb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_values),
		cmocka_unit_test(test_virtual_enum_follows_config),
		cmocka_unit_test(test_not_exposed),
		cmocka_unit_test(test_writes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
