/* SPDX-License-Identifier: MIT */
/* IA32_PRED_CMD (§1.4) and IA32_FLUSH_CMD (§1.5). */
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

struct cmd_case {
	enum tm_id guest, host;
	enum msr_access who;
	uint32_t index;
	uint64_t val;
	enum msr_status want;
	const char *msg;	/* substring of err_msg() on MSR_GP */
};

#define G MSR_GUEST
#define H MSR_HOST
#define PRED MSR_IA32_PRED_CMD
#define FLUSH MSR_IA32_FLUSH_CMD

static const struct cmd_case cases[] = {
	/* Sapphire Rapids (7.0.EDX 0xffdd4430: SPEC_CTRL, L1D_FLUSH; no SBPB). */
	{ TM_SPR_RAW, TM_SPR_RAW, G, PRED, PRED_CMD_IBPB, MSR_OK, NULL },
	{ TM_SPR_RAW, TM_SPR_RAW, G, PRED, 0, MSR_OK, NULL },
	{ TM_SPR_RAW, TM_SPR_RAW, G, PRED, PRED_CMD_SBPB, MSR_GP,
	  "bit 7 SBPB not enumerated by the CPU model" },
	{ TM_SPR_RAW, TM_SPR_RAW, G, PRED, 1ull << 1, MSR_GP, "reserved bits 0x2" },
	{ TM_SPR_RAW, TM_SPR_RAW, G, PRED, 1ull << 63, MSR_GP, "reserved bits 0x8000000000000000" },
	{ TM_SPR_RAW, TM_SPR_RAW, G, FLUSH, FLUSH_CMD_L1D, MSR_OK, NULL },
	{ TM_SPR_RAW, TM_SPR_RAW, G, FLUSH, 0, MSR_OK, NULL },
	{ TM_SPR_RAW, TM_SPR_RAW, G, FLUSH, 2, MSR_GP, "reserved bits 0x2" },
	{ TM_SPR_RAW, TM_SPR_RAW, H, FLUSH, 3, MSR_GP, "host write 0x10b value 0x3" },
	/* Ice Lake, Cascade Lake: IBPB via SPEC_CTRL. */
	{ TM_ICX_RAW, TM_ICX_RAW, G, PRED, PRED_CMD_IBPB, MSR_OK, NULL },
	{ TM_CLX_KVM, TM_CLX_KVM, G, FLUSH, FLUSH_CMD_L1D, MSR_OK, NULL },
	/* Rome TR PRO: AMD_IBPB (0x80000008.EBX[12]) without IBRS: PRED_CMD exists. */
	{ TM_ROME_TRPRO_RAW, TM_ROME_TRPRO_RAW, G, PRED, PRED_CMD_IBPB, MSR_OK, NULL },
	/* Rome has no L1D_FLUSH (7.0.EDX 0). */
	{ TM_ROME_RAW, TM_ROME_RAW, G, FLUSH, 0, MSR_GP, "needs CPUID.7.0:EDX[28] L1D_FLUSH" },
	/* Milan KVM 6.18: SBPB (0x80000021.EAX[27]) and AMD_IBPB, no SPEC_CTRL. */
	{ TM_MILAN_KVM, TM_MILAN_KVM, G, PRED, PRED_CMD_SBPB, MSR_OK, NULL },
	{ TM_MILAN_KVM, TM_MILAN_KVM, G, PRED, PRED_CMD_IBPB | PRED_CMD_SBPB, MSR_OK, NULL },
	/* ... on a RAW Milan host (pre-SRSO microcode, no SBPB): host bit check. */
	{ TM_MILAN_KVM, TM_MILAN_RAW, G, PRED, PRED_CMD_SBPB, MSR_GP, "this host has no SBPB" },
	{ TM_MILAN_KVM, TM_MILAN_RAW, G, PRED, PRED_CMD_IBPB, MSR_OK, NULL },
	/* Milan RAW: no L1D_FLUSH in 7.0.EDX 0x10. */
	{ TM_MILAN_RAW, TM_MILAN_RAW, G, FLUSH, FLUSH_CMD_L1D, MSR_GP, "IA32_FLUSH_CMD not enumerated" },
	/* Genoa RAW: 7.0.EDX 0x10000010 has L1D_FLUSH. */
	{ TM_GENOA_RAW, TM_GENOA_RAW, G, FLUSH, FLUSH_CMD_L1D, MSR_OK, NULL },
	/* Genoa model on a Milan RAW host (no L1D_FLUSH): even 0 is refused. */
	{ TM_GENOA_RAW, TM_MILAN_RAW, G, FLUSH, 0, MSR_GP, "this host has no IA32_FLUSH_CMD" },
	{ TM_GENOA_RAW, TM_MILAN_RAW, H, FLUSH, 0, MSR_GP, "this host has no IA32_FLUSH_CMD" },
	/* No enumeration at all. */
	{ TM_EMPTY, TM_SPR_RAW, G, PRED, 0, MSR_GP, "IA32_PRED_CMD not enumerated" },
	{ TM_EMPTY, TM_SPR_RAW, G, PRED, PRED_CMD_IBPB, MSR_GP, "IA32_PRED_CMD not enumerated" },
	{ TM_EMPTY, TM_SPR_RAW, G, FLUSH, FLUSH_CMD_L1D, MSR_GP, "IA32_FLUSH_CMD not enumerated" },
	/* Host-initiated: model checks skipped, host checks kept (§1.4, §1.5). */
	{ TM_EMPTY, TM_SPR_RAW, H, PRED, PRED_CMD_IBPB, MSR_OK, NULL },
	{ TM_EMPTY, TM_SPR_RAW, H, FLUSH, FLUSH_CMD_L1D, MSR_OK, NULL },
	{ TM_SPR_RAW, TM_MILAN_KVM, H, PRED, PRED_CMD_SBPB, MSR_OK, NULL },
	{ TM_SPR_RAW, TM_SPR_RAW, H, PRED, PRED_CMD_SBPB, MSR_GP, "this host has no SBPB" },
	{ TM_SPR_RAW, TM_SPR_RAW, H, PRED, 1ull << 2, MSR_GP, "reserved bits 0x4" },
};

static void test_cmd_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct cmd_case *c = &cases[i];
		struct msr_vcpu before;
		enum msr_status st;

		tm_vm(&vm, c->guest, c->host, POLICY_GUEST_REQUEST, true);
		msr_vcpu_init(&vm, &v);
		before = v;
		err_clear();
		st = msr_write(&vm, &v, c->index, c->val, c->who);
		if (st != c->want)
			fail_msg("case %zu (%s on %s, 0x%x=0x%llx): got %d want %d (%s)", i,
				 tm_get(c->guest)->name, tm_get(c->host)->name, c->index,
				 (unsigned long long)c->val, st, c->want, err_msg());
		if (c->msg && !strstr(err_msg(), c->msg))
			fail_msg("case %zu: message '%s' lacks '%s'", i, err_msg(), c->msg);
		/* Command MSRs hold no state, accepted or not. */
		assert_memory_equal(&before, &v, TM_VCPU_STATE_SIZE);
	}
}

/* Reads #GP for guest and host (write-only, §1.4/§1.5). */
static void test_cmd_reads(void **state)
{
	uint64_t r = 7;

	(void)state;
	tm_vm(&vm, TM_SPR_RAW, TM_SPR_RAW, POLICY_GUEST_REQUEST, true);
	msr_vcpu_init(&vm, &v);
	for (int who = MSR_GUEST; who <= MSR_HOST; who++) {
		assert_int_equal(msr_read(&vm, &v, PRED, &r, (enum msr_access)who), MSR_GP);
		assert_non_null(strstr(err_msg(), "IA32_PRED_CMD is write-only"));
		assert_int_equal(msr_read(&vm, &v, FLUSH, &r, (enum msr_access)who), MSR_GP);
		assert_non_null(strstr(err_msg(), "IA32_FLUSH_CMD is write-only"));
	}
	assert_int_equal(r, 7);
	assert_int_equal(v.nreads, 2);
	assert_int_equal(v.ngp, 2);
}

/* Host facts for the command MSRs, from host profiles (§1.4, §1.5). */
static void test_host_facts_cmd(void **state)
{
	struct host_facts hf;

	(void)state;
	tm_host(TM_SPR_RAW, &hf);
	assert_true(hf.ibpb);
	assert_false(hf.sbpb);
	assert_true(hf.l1d_flush);
	tm_host(TM_MILAN_KVM, &hf);
	assert_true(hf.ibpb);
	assert_true(hf.sbpb);
	assert_false(hf.l1d_flush);	/* 7.0.EDX 0x88000000 */
	tm_host(TM_GENOA_KVM, &hf);
	assert_true(hf.ibpb && hf.sbpb && hf.l1d_flush);
	tm_host(TM_EMPTY, &hf);
	assert_false(hf.ibpb || hf.sbpb || hf.l1d_flush);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmd_table),
		cmocka_unit_test(test_cmd_reads),
		cmocka_unit_test(test_host_facts_cmd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
