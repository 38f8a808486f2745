/* SPDX-License-Identifier: MIT */
/* Virtual MSRs 0x50000000-0x50000002 (§3.1, §3.2) and the forcing they drive
 * (§3.3), through the vendor-neutral leaf too (PRODUCT.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "msr/msr.h"
#include "test_msr_models.h"
#include "util/err.h"

#define VENUM MSR_VIRTUAL_ENUMERATION
#define MENUM MSR_VIRTUAL_MITIGATION_ENUM
#define MCTRL MSR_VIRTUAL_MITIGATION_CTRL
#define BHB MITI_CTRL_BHB_CLEAR_SEQ_S_USED
#define RET MITI_CTRL_RETPOLINE_S_USED

static struct msr_vm vm;
static struct msr_vcpu v;

static void setup(enum tm_id guest, enum tm_id host, enum mitigation_policy p, bool virt)
{
	tm_vm(&vm, guest, host, p, virt);
	msr_vcpu_init(&vm, &v);
	v.dirty = 0;
}

static enum msr_status rd(uint32_t idx, enum msr_access who, uint64_t *r)
{
	*r = 0xdead;
	return msr_read(&vm, &v, idx, r, who);
}

/* §3.2 guest RDMSR 0x50000000: OK iff ARCH_CAPABILITIES[63] (or our leaf). */
static void test_enum_read_gating(void **state)
{
	uint64_t r;

	(void)state;
	/* Intel model, ARCH_CAPABILITIES exposed with bit 63. */
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, true);
	assert_int_equal(rd(VENUM, MSR_GUEST, &r), MSR_OK);
	assert_int_equal(r, VIRT_ENUM_MITIGATION_CTRL_SUPPORT);
	/* Virtual MSRs off: no bit 63, #GP; 0x50000001/2 #GP too (bit 0 clear). */
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, false);
	assert_int_equal(rd(VENUM, MSR_GUEST, &r), MSR_GP);
	assert_int_equal(r, 0xdead);
	assert_string_equal(err_msg(), "guest RDMSR 0x50000000: MSR_VIRTUAL_ENUMERATION not "
			    "enumerated (needs IA32_ARCH_CAPABILITIES[63] VIRTUAL_ENUM or "
			    "CPUID.0x40000101:EAX[0])");
	assert_int_equal(rd(MENUM, MSR_GUEST, &r), MSR_GP);
	assert_int_equal(rd(MCTRL, MSR_GUEST, &r), MSR_GP);
	assert_non_null(strstr(err_msg(), "needs MSR_VIRTUAL_ENUMERATION[0]"));
	/* hv_leaf without virt_msrs is dropped by msr_vm_init. */
	vm.hv_leaf = true;
	msr_vm_init(&vm);
	assert_false(vm.hv_leaf);
	assert_int_equal(rd(VENUM, MSR_GUEST, &r), MSR_GP);
	/* Host reads always work. */
	assert_int_equal(rd(VENUM, MSR_HOST, &r), MSR_OK);
	assert_int_equal(r, 0);
	assert_int_equal(rd(MCTRL, MSR_HOST, &r), MSR_OK);
	assert_int_equal(r, 0);
}

/* AMD (Genoa, no ARCH_CAPABILITIES): only the 0x40000101 leaf enumerates. */
static void test_hv_leaf_path(void **state)
{
	uint64_t r;

	(void)state;
	setup(TM_GENOA_RAW, TM_GENOA_RAW, POLICY_GUEST_REQUEST, true);
	assert_false(vm.arch_cap_exposed);
	assert_int_equal(rd(VENUM, MSR_GUEST, &r), MSR_GP);
	vm.hv_leaf = true;
	msr_vm_init(&vm);
	assert_true(vm.hv_leaf);
	assert_int_equal(rd(VENUM, MSR_GUEST, &r), MSR_OK);
	assert_int_equal(r, VIRT_ENUM_MITIGATION_CTRL_SUPPORT);
	assert_int_equal(rd(MENUM, MSR_GUEST, &r), MSR_OK);
	assert_int_equal(r, MITI_ENUM_BHB_CLEAR_SEQ_S_SUPPORT | MITI_ENUM_RETPOLINE_S_SUPPORT);
	assert_int_equal(msr_write(&vm, &v, MCTRL, RET, MSR_GUEST), MSR_OK);
	assert_int_equal(rd(MCTRL, MSR_GUEST, &r), MSR_OK);
	assert_int_equal(r, RET);
	/* Genoa host: no RRSBA_CTRL/BHI_CTRL, nothing forced. */
	assert_int_equal(v.forcing.mask, 0);
	/* Intel model without exposure (arch_cap_exposed off) but with the leaf. */
	setup(TM_ICX_RAW, TM_ICX_RAW, POLICY_GUEST_REQUEST, true);
	vm.arch_cap_exposed = false;
	vm.hv_leaf = true;
	msr_vm_init(&vm);
	assert_int_equal(vm.arch_cap & ARCH_CAP_VIRTUAL_ENUM, 0);
	assert_int_equal(rd(VENUM, MSR_GUEST, &r), MSR_OK);
}

/* §3.2: 0x50000000/1 are read-only for the guest, whatever the value. */
static void test_enum_guest_writes(void **state)
{
	struct msr_vcpu before;

	(void)state;
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, true);
	before = v;
	static const uint64_t vals[] = { 0, 1, 3, 1ull << 40 };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(msr_write(&vm, &v, VENUM, vals[i], MSR_GUEST), MSR_GP);
		assert_non_null(strstr(err_msg(), "MSR_VIRTUAL_ENUMERATION is read-only"));
		assert_int_equal(msr_write(&vm, &v, MENUM, vals[i], MSR_GUEST), MSR_GP);
		assert_non_null(strstr(err_msg(), "MSR_VIRTUAL_MITIGATION_ENUM is read-only"));
	}
	assert_memory_equal(&before, &v, TM_VCPU_STATE_SIZE);
}

/* §3.2: guest WRMSR 0x50000002 OK iff 0x50000000[0]; bits outside {0,1} #GP. */
static void test_ctrl_guest_writes(void **state)
{
	struct msr_vcpu before;
	uint64_t r;

	(void)state;
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, true);
	for (uint64_t val = 0; val < 4; val++) {
		assert_int_equal(msr_write(&vm, &v, MCTRL, val, MSR_GUEST), MSR_OK);
		assert_int_equal(rd(MCTRL, MSR_GUEST, &r), MSR_OK);
		assert_int_equal(r, val);
	}
	before = v;
	static const uint64_t bad[] = { 4, 7, 1ull << 63, ~0ull };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(msr_write(&vm, &v, MCTRL, bad[i], MSR_GUEST), MSR_GP);
		assert_non_null(strstr(err_msg(), "reserved bits"));
		assert_memory_equal(&before, &v, TM_VCPU_STATE_SIZE);
	}
	/* Host clears 0x50000000[0]: CTRL and ENUM now #GP for the guest. */
	assert_int_equal(msr_write(&vm, &v, VENUM, 0, MSR_HOST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, MCTRL, 1, MSR_GUEST), MSR_GP);
	assert_non_null(strstr(err_msg(), "guest WRMSR 0x50000002 value 0x1: "
			       "MSR_VIRTUAL_MITIGATION_CTRL not enumerated"));
	assert_int_equal(rd(MCTRL, MSR_GUEST, &r), MSR_GP);
	assert_int_equal(rd(MENUM, MSR_GUEST, &r), MSR_GP);
	/* 0x50000000 itself stays readable (bit 63 still set). */
	assert_int_equal(rd(VENUM, MSR_GUEST, &r), MSR_OK);
	assert_int_equal(r, 0);
	/* Without virtual MSRs at all. */
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, false);
	assert_int_equal(msr_write(&vm, &v, MCTRL, 0, MSR_GUEST), MSR_GP);
}

/* §3.2 host R/W: reserved bits refused; defined values accepted. */
static void test_host_access(void **state)
{
	struct msr_vcpu before;
	uint64_t r;

	(void)state;
	setup(TM_ICX_RAW, TM_ICX_RAW, POLICY_OFF, true);
	before = v;
	assert_int_equal(msr_write(&vm, &v, VENUM, 2, MSR_HOST), MSR_GP);
	assert_non_null(strstr(err_msg(), "host write 0x50000000 value 0x2: reserved bits 0x2"));
	assert_int_equal(msr_write(&vm, &v, MENUM, 4, MSR_HOST), MSR_GP);
	assert_int_equal(msr_write(&vm, &v, MCTRL, 1ull << 32, MSR_HOST), MSR_GP);
	assert_memory_equal(&before, &v, TM_VCPU_STATE_SIZE);
	/* MITIGATION_ENUM is restorable to any defined value, so the guest keeps
	 * the value it booted with (policy off here would give 0). */
	assert_int_equal(v.miti_enum, 0);
	assert_int_equal(msr_write(&vm, &v, MENUM, 3, MSR_HOST), MSR_OK);
	assert_int_equal(rd(MENUM, MSR_GUEST, &r), MSR_OK);
	assert_int_equal(r, 3);
	assert_int_equal(msr_write(&vm, &v, MCTRL, 3, MSR_HOST), MSR_OK);
	assert_int_equal(rd(MCTRL, MSR_HOST, &r), MSR_OK);
	assert_int_equal(r, 3);
	assert_int_equal(v.nwrites, 0);		/* host traffic is not counted */
	/* A VM without the interface holds only zeros. */
	setup(TM_ICX_RAW, TM_ICX_RAW, POLICY_GUEST_REQUEST, false);
	assert_int_equal(msr_write(&vm, &v, VENUM, 0, MSR_HOST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, MENUM, 0, MSR_HOST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, MCTRL, 0, MSR_HOST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, VENUM, 1, MSR_HOST), MSR_GP);
	assert_non_null(strstr(err_msg(), "does not offer the virtual MSRs"));
	assert_int_equal(msr_write(&vm, &v, MENUM, 1, MSR_HOST), MSR_GP);
	assert_int_equal(msr_write(&vm, &v, MCTRL, 2, MSR_HOST), MSR_GP);
}

/* MITIGATION_ENUM per configuration (docs/guest-interface.md). */
static void test_miti_enum_values(void **state)
{
	static const struct {
		enum tm_id host;
		enum mitigation_policy p;
		bool ex;
		uint64_t emask, evalue, want;
	} t[] = {
		{ TM_SPR_RAW, POLICY_GUEST_REQUEST, false, 0, 0, 3 },
		/* Host-independent: same on Ice Lake (no 7.2) and Genoa. */
		{ TM_ICX_RAW, POLICY_GUEST_REQUEST, false, 0, 0, 3 },
		{ TM_GENOA_RAW, POLICY_GUEST_REQUEST, false, 0, 0, 3 },
		{ TM_SPR_RAW, POLICY_ALWAYS, false, 0, 0, 3 },
		{ TM_SPR_RAW, POLICY_OFF, false, 0, 0, 0 },
		{ TM_SPR_RAW, POLICY_OFF, true, SPEC_CTRL_BHI_DIS_S, SPEC_CTRL_BHI_DIS_S, 1 },
		{ TM_SPR_RAW, POLICY_OFF, true, SPEC_CTRL_RRSBA_DIS_S, SPEC_CTRL_RRSBA_DIS_S, 2 },
		{ TM_SPR_RAW, POLICY_GUEST_REQUEST, true, SPEC_CTRL_BHI_DIS_S, 0, 2 },
		{ TM_SPR_RAW, POLICY_ALWAYS, true, 0x440, 0, 0 },
		{ TM_SPR_RAW, POLICY_GUEST_REQUEST, true, SPEC_CTRL_IBRS, 0, 3 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t r;

		tm_vm(&vm, TM_SPR_RAW, t[i].host, t[i].p, true);
		vm.force.explicit_set = t[i].ex;
		vm.force.explicit_mask = t[i].emask;
		vm.force.explicit_value = t[i].evalue;
		msr_vm_init(&vm);
		msr_vcpu_init(&vm, &v);
		assert_int_equal(vm.miti_enum, t[i].want);
		assert_int_equal(rd(MENUM, MSR_GUEST, &r), MSR_OK);
		assert_int_equal(r, t[i].want);
	}
	/* No virtual MSRs: 0. */
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, false);
	assert_int_equal(vm.miti_enum, 0);
	assert_int_equal(v.miti_enum, 0);
}

/* §3.3: every CTRL write recomputes the forcing; forced bits appear in force
 * at once and go away when the report stops. */
static void test_ctrl_drives_forcing(void **state)
{
	static const struct {
		enum tm_id host;	/* guest model: Sapphire Rapids everywhere */
		uint64_t ctrl, mask;
	} t[] = {
		/* SPR RAW: BHI_CTRL, no BHI_NO; RRSBA_CTRL and RRSBA (0xa8fdeb bit 19) */
		{ TM_SPR_RAW, BHB, SPEC_CTRL_BHI_DIS_S },
		{ TM_SPR_RAW, RET, SPEC_CTRL_RRSBA_DIS_S },
		{ TM_SPR_RAW, BHB | RET, SPEC_CTRL_BHI_DIS_S | SPEC_CTRL_RRSBA_DIS_S },
		{ TM_SPR_RAW, 0, 0 },
		/* GNR RAW: 7.2 0x3f, ARCH_CAP 0x2da9fdeb (RRSBA, no BHI_NO) */
		{ TM_GNR_RAW, BHB | RET, SPEC_CTRL_BHI_DIS_S | SPEC_CTRL_RRSBA_DIS_S },
		/* CLX KVM: RRSBA (0x0c0aa0eb bit 19) but no leaf 7.2 -> nothing */
		{ TM_CLX_KVM, BHB | RET, 0 },
		/* ICX RAW: no 7.2, no RRSBA -> nothing */
		{ TM_ICX_RAW, BHB | RET, 0 },
		/* AMD hosts: neither control */
		{ TM_MILAN_KVM, BHB | RET, 0 },
		{ TM_GENOA_RAW, BHB | RET, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		setup(TM_SPR_RAW, t[i].host, POLICY_GUEST_REQUEST, true);
		assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_IBRS, MSR_GUEST),
				 MSR_OK);
		v.dirty = 0;
		assert_int_equal(msr_write(&vm, &v, MCTRL, t[i].ctrl, MSR_GUEST), MSR_OK);
		assert_int_equal(v.forcing.mask, t[i].mask);
		assert_int_equal(v.forcing.value, t[i].mask);
		assert_int_equal(v.spec_ctrl_eff, (SPEC_CTRL_IBRS | t[i].mask) &
				 vm.host.spec_ctrl_supported);
		assert_int_equal(!!(v.dirty & MSR_DIRTY_SPEC_CTRL), t[i].mask != 0);
		/* The guest stops reporting: the forced bits disappear. */
		v.dirty = 0;
		assert_int_equal(msr_write(&vm, &v, MCTRL, 0, MSR_GUEST), MSR_OK);
		assert_int_equal(v.forcing.mask, 0);
		assert_int_equal(v.spec_ctrl_eff, SPEC_CTRL_IBRS & vm.host.spec_ctrl_supported);
		assert_int_equal(!!(v.dirty & MSR_DIRTY_SPEC_CTRL), t[i].mask != 0);
	}
	/* A bit forced by another rule stays when the guest stops reporting. */
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, true);
	vm.force.explicit_set = true;
	vm.force.explicit_mask = vm.force.explicit_value = SPEC_CTRL_BHI_DIS_S;
	msr_vcpu_refresh(&vm, &v);
	assert_int_equal(msr_write(&vm, &v, MCTRL, BHB, MSR_GUEST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, MCTRL, 0, MSR_GUEST), MSR_OK);
	assert_int_equal(v.spec_ctrl_eff, SPEC_CTRL_BHI_DIS_S);
}

/* Host-initiated CTRL writes (restore) recompute too, for the new host. */
static void test_ctrl_host_restore(void **state)
{
	(void)state;
	setup(TM_SPR_RAW, TM_GNR_RAW, POLICY_GUEST_REQUEST, true);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_SPEC_CTRL, SPEC_CTRL_SSBD, MSR_HOST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, MCTRL, BHB, MSR_HOST), MSR_OK);
	assert_int_equal(v.forcing.mask, SPEC_CTRL_BHI_DIS_S);
	assert_int_equal(v.spec_ctrl_eff, SPEC_CTRL_SSBD | SPEC_CTRL_BHI_DIS_S);
	/* Same state restored on a Cascade Lake host: nothing can be forced. */
	tm_host(TM_CLX_KVM, &vm.host);
	msr_vcpu_refresh(&vm, &v);
	assert_int_equal(v.forcing.mask, 0);
	assert_int_equal(v.spec_ctrl_eff, SPEC_CTRL_SSBD);
}

/* §3.2: RESET clears MITIGATION_CTRL; the forcing follows. */
static void test_reset(void **state)
{
	(void)state;
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, true);
	assert_int_equal(msr_write(&vm, &v, MCTRL, BHB | RET, MSR_GUEST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, VENUM, 0, MSR_HOST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, MENUM, 1, MSR_HOST), MSR_OK);
	msr_vcpu_reset(&vm, &v);
	assert_int_equal(v.miti_ctrl, 0);
	assert_int_equal(v.forcing.mask, 0);
	assert_int_equal(v.spec_ctrl_eff, 0);
	assert_int_equal(v.virt_enum, VIRT_ENUM_MITIGATION_CTRL_SUPPORT);
	assert_int_equal(v.miti_enum, 3);
	assert_int_equal(v.dirty, MSR_DIRTY_SPEC_CTRL | MSR_DIRTY_CET);
	/* Policy always: forced after reset already, whatever CTRL says. */
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_ALWAYS, true);
	msr_vcpu_reset(&vm, &v);
	assert_int_equal(v.miti_ctrl, 0);
	assert_int_equal(v.spec_ctrl_eff, SPEC_CTRL_BHI_DIS_S | SPEC_CTRL_RRSBA_DIS_S);
}

/* Linux's virt_mitigation_ctrl_init() sequence (§3.2) against SPR. */
static void test_guest_protocol(void **state)
{
	uint64_t ac, e, en;

	(void)state;
	setup(TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, true);
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_ARCH_CAPABILITIES, &ac, MSR_GUEST), MSR_OK);
	assert_true(ac & ARCH_CAP_VIRTUAL_ENUM);
	assert_int_equal(msr_read(&vm, &v, VENUM, &e, MSR_GUEST), MSR_OK);
	assert_true(e & VIRT_ENUM_MITIGATION_CTRL_SUPPORT);
	assert_int_equal(msr_read(&vm, &v, MENUM, &en, MSR_GUEST), MSR_OK);
	/* A guest using the short BHB loop but not retpoline. */
	assert_true(en & MITI_ENUM_BHB_CLEAR_SEQ_S_SUPPORT);
	assert_int_equal(msr_write(&vm, &v, MCTRL, BHB, MSR_GUEST), MSR_OK);
	assert_int_equal(v.forcing.mask, SPEC_CTRL_BHI_DIS_S);
	assert_int_equal(v.forcing.nreasons, 1);
	assert_string_equal(v.forcing.reasons[0].text, "BHI_DIS_S: guest reports "
			    "BHB_CLEAR_SEQ_S_USED; host has BHI_CTRL and lacks BHI_NO (§3.3)");
	assert_int_equal(v.nreads, 3);
	assert_int_equal(v.nwrites, 1);
	assert_int_equal(v.ngp, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enum_read_gating),
		cmocka_unit_test(test_hv_leaf_path),
		cmocka_unit_test(test_enum_guest_writes),
		cmocka_unit_test(test_ctrl_guest_writes),
		cmocka_unit_test(test_host_access),
		cmocka_unit_test(test_miti_enum_values),
		cmocka_unit_test(test_ctrl_drives_forcing),
		cmocka_unit_test(test_ctrl_host_restore),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_guest_protocol),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
