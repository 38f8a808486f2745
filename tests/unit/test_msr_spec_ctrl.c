/* SPDX-License-Identifier: MIT */
/* IA32_SPEC_CTRL rules (cpu-security-controls.md §1.2, §1.3, §1.6, §3.5). */
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

static void setup(enum tm_id guest, enum tm_id host, enum mitigation_policy p)
{
	tm_vm(&vm, guest, host, p, true);
	msr_vcpu_init(&vm, &v);
	v.dirty = 0;
}

/* §1.2: guest_has_spec_ctrl_msr() on every real model; TM_EMPTY lacks it. */
static void test_exists(void **state)
{
	static const struct { enum tm_id m; bool exists; } t[] = {
		{ TM_EMPTY, false }, { TM_SPR_RAW, true }, { TM_EMR_RAW, true },
		{ TM_GNR_RAW, true }, { TM_ADLP_RAW, true }, { TM_ICX_RAW, true },
		{ TM_CLX_KVM, true },
		{ TM_ROME_TRPRO_RAW, true },	/* AMD_STIBP/AMD_SSBD only: exists */
		{ TM_ROME_RAW, true }, { TM_MILAN_RAW, true }, { TM_MILAN_KVM, true },
		{ TM_GENOA_RAW, true }, { TM_GENOA_KVM, true },
	};
	struct cpuid_set c;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		tm_cpuid(t[i].m, &c);
		assert_int_equal(spec_ctrl_exists(&c), t[i].exists);
	}
	/* Each of the four enumerations alone creates the MSR; Intel STIBP or
	 * SSBD alone do not (§1.2). */
	static const enum cpu_feature yes[] = { F_SPEC_CTRL, F_AMD_STIBP, F_AMD_IBRS, F_AMD_SSBD };
	static const enum cpu_feature no[] = { F_INTEL_STIBP, F_SPEC_CTRL_SSBD, F_AMD_IBPB,
					       F_BHI_CTRL };
	for (size_t i = 0; i < 4; i++) {
		tm_cpuid(TM_EMPTY, &c);
		cpuid_set_feature(&c, yes[i], true);
		assert_true(spec_ctrl_exists(&c));
		tm_cpuid(TM_EMPTY, &c);
		cpuid_set_feature(&c, no[i], true);
		assert_false(spec_ctrl_exists(&c));
	}
}

/* §1.6 valid masks of real models. */
static void test_valid_mask_models(void **state)
{
	static const struct { enum tm_id m; uint64_t mask; } t[] = {
		{ TM_EMPTY, 0 },
		/* 7.2.EDX 0x17: PSFD IPRED RRSBA BHI, no DDPD_U -> 0x4ff */
		{ TM_SPR_RAW, 0x4ff },
		/* 7.2.EDX 0x1f / 0x3f: + DDPD_U -> 0x5ff */
		{ TM_EMR_RAW, 0x5ff }, { TM_GNR_RAW, 0x5ff },
		{ TM_ADLP_RAW, 0x4ff },
		/* no leaf 7.2: IBRS STIBP SSBD only */
		{ TM_ICX_RAW, 0x7 }, { TM_CLX_KVM, 0x7 },
		/* 0x018cb757: no IBRS(14), STIBP(15), SSBD(24) -> STIBP|SSBD (seed 004) */
		{ TM_ROME_TRPRO_RAW, 0x6 },
		{ TM_ROME_RAW, 0x7 },
		/* AMD_PSFD (0x80000008.EBX[28]) -> PSFD */
		{ TM_MILAN_RAW, 0x87 }, { TM_MILAN_KVM, 0x87 },
		{ TM_GENOA_RAW, 0x87 }, { TM_GENOA_KVM, 0x87 },
	};
	struct cpuid_set c;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		tm_cpuid(t[i].m, &c);
		assert_int_equal(spec_ctrl_valid_mask(&c), t[i].mask);
		assert_int_equal(spec_ctrl_valid_mask(&c) & (1ull << 9), 0);
	}
}

/* §1.6 per-bit enumeration rules, one feature at a time. */
static void test_valid_mask_rules(void **state)
{
	static const struct { enum cpu_feature f; uint64_t bits; } t[] = {
		{ F_SPEC_CTRL, SPEC_CTRL_IBRS | SPEC_CTRL_STIBP },
		{ F_AMD_IBRS, SPEC_CTRL_IBRS | SPEC_CTRL_STIBP },
		{ F_INTEL_STIBP, SPEC_CTRL_STIBP },
		{ F_AMD_STIBP, SPEC_CTRL_STIBP },
		{ F_SPEC_CTRL_SSBD, SPEC_CTRL_SSBD },
		{ F_AMD_SSBD, SPEC_CTRL_SSBD | SPEC_CTRL_STIBP },	/* STIBP wherever the MSR exists (Xen) */
		{ F_INTEL_PSFD, SPEC_CTRL_PSFD },
		{ F_AMD_PSFD, SPEC_CTRL_PSFD },
		{ F_IPRED_CTRL, SPEC_CTRL_IPRED_DIS_U | SPEC_CTRL_IPRED_DIS_S },
		{ F_RRSBA_CTRL, SPEC_CTRL_RRSBA_DIS_U | SPEC_CTRL_RRSBA_DIS_S },
		{ F_DDPD_U, SPEC_CTRL_DDPD_U },
		{ F_BHI_CTRL, SPEC_CTRL_BHI_DIS_S },
		{ F_MCDT_NO, 0 },
		{ F_AMD_IBPB, 0 },
		{ F_AMD_VIRT_SSBD, 0 },
	};
	struct cpuid_set c;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		tm_cpuid(TM_EMPTY, &c);
		cpuid_set_feature(&c, t[i].f, true);
		assert_int_equal(spec_ctrl_valid_mask(&c), t[i].bits);
	}
}

/* Seed 004: AMD STIBP without AMD IBRS must accept STIBP without #GP. */
static void test_seed004_stibp_without_ibrs(void **state)
{
	uint64_t r;

	(void)state;
	setup(TM_ROME_TRPRO_RAW, TM_ROME_TRPRO_RAW, POLICY_GUEST_REQUEST);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_STIBP, MSR_GUEST), MSR_OK);
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_SPEC_CTRL, &r, MSR_GUEST), MSR_OK);
	assert_int_equal(r, SPEC_CTRL_STIBP);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL,
				   SPEC_CTRL_STIBP | SPEC_CTRL_SSBD, MSR_GUEST), MSR_OK);
	/* IBRS is not enumerated there: #GP, nothing changes. */
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_IBRS, MSR_GUEST), MSR_GP);
	assert_non_null(strstr(err_msg(), "bit 0 IBRS not enumerated by the CPU model"));
	assert_int_equal(v.spec_ctrl, SPEC_CTRL_STIBP | SPEC_CTRL_SSBD);
}

/* §1.2: without the MSR, guest RDMSR/WRMSR #GP; the host skips that check. */
static void test_no_msr(void **state)
{
	uint64_t r = 0x1234;

	(void)state;
	setup(TM_EMPTY, TM_SPR_RAW, POLICY_GUEST_REQUEST);
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_SPEC_CTRL, &r, MSR_GUEST), MSR_GP);
	assert_int_equal(r, 0x1234);
	assert_non_null(strstr(err_msg(), "guest RDMSR 0x48: IA32_SPEC_CTRL not enumerated"));
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, 0, MSR_GUEST), MSR_GP);
	assert_non_null(strstr(err_msg(), "guest WRMSR 0x48 value 0x0:"));
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_SPEC_CTRL, &r, MSR_HOST), MSR_OK);
	assert_int_equal(r, 0);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, 0, MSR_HOST), MSR_OK);

	/* Intel STIBP alone: no MSR for the guest, but the bit is valid for a
	 * host restore (existence skipped, valid bits enforced). */
	tm_cpuid(TM_EMPTY, &vm.cpuid);
	cpuid_set_feature(&vm.cpuid, F_INTEL_STIBP, true);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_STIBP, MSR_GUEST), MSR_GP);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_STIBP, MSR_HOST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_IBRS, MSR_HOST), MSR_GP);
	assert_non_null(strstr(err_msg(), "host write 0x48 value 0x1: bit 0 IBRS"));
}

/* The message of the brief, exactly. */
static void test_gp_message(void **state)
{
	(void)state;
	setup(TM_ICX_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_BHI_DIS_S, MSR_GUEST),
			 MSR_GP);
	assert_string_equal(err_msg(), "guest WRMSR 0x48 value 0x400: bit 10 BHI_DIS_S not "
			    "enumerated by the CPU model (needs CPUID.7.2:EDX[4] BHI_CTRL)");
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, 1ull << 9, MSR_GUEST), MSR_GP);
	assert_non_null(strstr(err_msg(), "bit 9 is reserved"));
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, 0x8000000000000441ull, MSR_GUEST),
			 MSR_GP);
	assert_non_null(strstr(err_msg(), "bit 6 RRSBA_DIS_S"));
	assert_non_null(strstr(err_msg(), "bit 10 BHI_DIS_S"));
	assert_non_null(strstr(err_msg(), "reserved bits 0x8000000000000000"));
}

/* Invalid writes #GP per model and change nothing, whatever the host has. */
static void test_invalid_write_changes_nothing(void **state)
{
	static const struct { enum tm_id m; uint64_t bad; } t[] = {
		{ TM_ICX_RAW, SPEC_CTRL_BHI_DIS_S },		/* host SPR has it */
		{ TM_ICX_RAW, SPEC_CTRL_RRSBA_DIS_S },
		{ TM_ICX_RAW, SPEC_CTRL_PSFD },
		{ TM_CLX_KVM, SPEC_CTRL_IPRED_DIS_S },
		{ TM_SPR_RAW, SPEC_CTRL_DDPD_U },		/* 7.2 0x17 has no DDPD_U */
		{ TM_GNR_RAW, 1ull << 9 },			/* reserved, UNVERIFIED */
		{ TM_GNR_RAW, 1ull << 11 },
		{ TM_GNR_RAW, 1ull << 63 },
		{ TM_MILAN_RAW, SPEC_CTRL_BHI_DIS_S },
		{ TM_GENOA_RAW, SPEC_CTRL_RRSBA_DIS_U },
		{ TM_ROME_TRPRO_RAW, SPEC_CTRL_IBRS },
		{ TM_ROME_RAW, SPEC_CTRL_PSFD },		/* Rome has no AMD_PSFD */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct msr_vcpu before;
		uint64_t ok;

		setup(t[i].m, TM_SPR_RAW, POLICY_GUEST_REQUEST);
		ok = spec_ctrl_valid_mask(&vm.cpuid) & SPEC_CTRL_STIBP;
		assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, ok, MSR_GUEST), MSR_OK);
		before = v;
		for (int who = MSR_GUEST; who <= MSR_HOST; who++) {
			assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, ok | t[i].bad,
						   (enum msr_access)who), MSR_GP);
			assert_memory_equal(&before, &v, TM_VCPU_STATE_SIZE);
			assert_true(strlen(err_msg()) > 0);
		}
	}
}

/* Guest reads back exactly its last accepted write (the shadow). */
static void test_shadow_readback(void **state)
{
	static const struct { enum tm_id m; uint64_t val; } t[] = {
		{ TM_SPR_RAW, 0x4ff }, { TM_SPR_RAW, SPEC_CTRL_IBRS | SPEC_CTRL_BHI_DIS_S },
		{ TM_GNR_RAW, 0x5ff }, { TM_ICX_RAW, 0x7 }, { TM_CLX_KVM, SPEC_CTRL_SSBD },
		{ TM_MILAN_RAW, 0x87 }, { TM_GENOA_KVM, SPEC_CTRL_PSFD },
		{ TM_ROME_TRPRO_RAW, 0x6 }, { TM_SPR_RAW, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t r = ~0ull;

		setup(t[i].m, t[i].m, POLICY_OFF);
		assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, t[i].val, MSR_GUEST), MSR_OK);
		assert_int_equal(msr_read(&vm, &v, MSR_IA32_SPEC_CTRL, &r, MSR_GUEST), MSR_OK);
		assert_int_equal(r, t[i].val);
		/* Same model on its own host, nothing forced: effective = shadow. */
		assert_int_equal(v.spec_ctrl_eff, t[i].val);
	}
}

/* Bits the model has and the host lacks: the shadow keeps them, the value in
 * force drops them (GNR model with DDPD_U on an SPR host). */
static void test_eff_host_mask(void **state)
{
	uint64_t r;

	(void)state;
	setup(TM_GNR_RAW, TM_SPR_RAW, POLICY_OFF);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL,
				   SPEC_CTRL_DDPD_U | SPEC_CTRL_IBRS, MSR_GUEST), MSR_OK);
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_SPEC_CTRL, &r, MSR_GUEST), MSR_OK);
	assert_int_equal(r, SPEC_CTRL_DDPD_U | SPEC_CTRL_IBRS);
	assert_int_equal(v.spec_ctrl_eff, SPEC_CTRL_IBRS);
}

/* Forced bits hold whatever the guest writes; the guest still reads its own
 * value; MSR_DIRTY_SPEC_CTRL follows the value in force only. */
static void test_forced_bits_not_clearable(void **state)
{
	uint64_t r;

	(void)state;
	/* Sapphire Rapids host: BHI_CTRL, no BHI_NO, RRSBA_CTRL + RRSBA (§3.3). */
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST);
	assert_int_equal(msr_write(&vm, &v, MSR_VIRTUAL_MITIGATION_CTRL,
				   MITI_CTRL_BHB_CLEAR_SEQ_S_USED | MITI_CTRL_RETPOLINE_S_USED,
				   MSR_GUEST), MSR_OK);
	assert_int_equal(v.forcing.mask, SPEC_CTRL_BHI_DIS_S | SPEC_CTRL_RRSBA_DIS_S);
	assert_int_equal(v.spec_ctrl_eff, SPEC_CTRL_BHI_DIS_S | SPEC_CTRL_RRSBA_DIS_S);
	assert_true(v.dirty & MSR_DIRTY_SPEC_CTRL);

	static const uint64_t writes[] = { 0, SPEC_CTRL_IBRS, 0x4ff, SPEC_CTRL_BHI_DIS_S, 0 };
	for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, writes[i], MSR_GUEST),
				 MSR_OK);
		assert_int_equal(msr_read(&vm, &v, MSR_IA32_SPEC_CTRL, &r, MSR_GUEST), MSR_OK);
		assert_int_equal(r, writes[i]);
		assert_int_equal(v.spec_ctrl_eff & v.forcing.mask, v.forcing.value);
		assert_int_equal(v.spec_ctrl_eff, (writes[i] & ~v.forcing.mask) | v.forcing.value);
	}
	/* A write that does not change the value in force is not dirty. */
	v.dirty = 0;
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_BHI_DIS_S, MSR_GUEST),
			 MSR_OK);
	assert_int_equal(v.dirty, 0);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_STIBP, MSR_GUEST), MSR_OK);
	assert_int_equal(v.dirty, MSR_DIRTY_SPEC_CTRL);

	/* Explicit force to 0: the guest cannot set the bit either. */
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_OFF);
	vm.force.explicit_set = true;
	vm.force.explicit_mask = SPEC_CTRL_IBRS;
	vm.force.explicit_value = 0;
	msr_vcpu_refresh(&vm, &v);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_IBRS | SPEC_CTRL_SSBD,
				   MSR_GUEST), MSR_OK);
	assert_int_equal(v.spec_ctrl_eff, SPEC_CTRL_SSBD);
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_SPEC_CTRL, &r, MSR_GUEST), MSR_OK);
	assert_int_equal(r, SPEC_CTRL_IBRS | SPEC_CTRL_SSBD);
}

/* Host-initiated (restore) writes set the shadow after model validation. */
static void test_host_restore(void **state)
{
	uint64_t r;

	(void)state;
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_ALWAYS);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_IBRS, MSR_HOST), MSR_OK);
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_SPEC_CTRL, &r, MSR_GUEST), MSR_OK);
	assert_int_equal(r, SPEC_CTRL_IBRS);
	assert_int_equal(v.spec_ctrl_eff, SPEC_CTRL_IBRS | SPEC_CTRL_BHI_DIS_S |
			 SPEC_CTRL_RRSBA_DIS_S);
	/* A value the model does not allow (e.g. saved from a KVM that let the
	 * guest set DDPD_U on a GNR host) is refused with the bits named. */
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_DDPD_U, MSR_HOST),
			 MSR_GP);
	assert_non_null(strstr(err_msg(), "host write 0x48 value 0x100: bit 8 DDPD_U not "
			       "enumerated by the CPU model (needs CPUID.7.2:EDX[3] DDPD_U)"));
	assert_int_equal(v.spec_ctrl, SPEC_CTRL_IBRS);
}

static void test_bit_names(void **state)
{
	char buf[128];

	(void)state;
	assert_string_equal(spec_ctrl_bit_name(0), "IBRS");
	assert_string_equal(spec_ctrl_bit_name(6), "RRSBA_DIS_S");
	assert_string_equal(spec_ctrl_bit_name(10), "BHI_DIS_S");
	assert_null(spec_ctrl_bit_name(9));
	assert_null(spec_ctrl_bit_name(11));
	assert_string_equal(spec_ctrl_bits_format(0, buf, sizeof(buf)), "0");
	assert_string_equal(spec_ctrl_bits_format(0x440, buf, sizeof(buf)), "RRSBA_DIS_S|BHI_DIS_S");
	assert_string_equal(spec_ctrl_bits_format(0x201, buf, sizeof(buf)), "IBRS|bit9");
	spec_ctrl_bits_format(~0ull, buf, 10);
	assert_int_equal(strlen(buf), 9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exists),
		cmocka_unit_test(test_valid_mask_models),
		cmocka_unit_test(test_valid_mask_rules),
		cmocka_unit_test(test_seed004_stibp_without_ibrs),
		cmocka_unit_test(test_no_msr),
		cmocka_unit_test(test_gp_message),
		cmocka_unit_test(test_invalid_write_changes_nothing),
		cmocka_unit_test(test_shadow_readback),
		cmocka_unit_test(test_eff_host_mask),
		cmocka_unit_test(test_forced_bits_not_clearable),
		cmocka_unit_test(test_host_restore),
		cmocka_unit_test(test_bit_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
