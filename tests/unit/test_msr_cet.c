/* SPDX-License-Identifier: MIT */
/* CET MSRs and IA32_XSS (cpu-security-controls.md §4.1-§4.3). */
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

/* Synthetic variants of real rows, for the combinations no part has. */
enum variant { AS_IS, IBT_ONLY, NO_LM, NO_XSAVES };

static void setup(enum tm_id m, enum variant var)
{
	tm_vm(&vm, m, m, POLICY_GUEST_REQUEST, true);
	if (var == IBT_ONLY)
		cpuid_set_feature(&vm.cpuid, F_SHSTK, false);
	if (var == NO_LM)
		cpuid_set_feature(&vm.cpuid, F_LM, false);
	if (var == NO_XSAVES)
		cpuid_set_feature(&vm.cpuid, F_XSAVES, false);
	msr_vm_init(&vm);
	msr_vcpu_init(&vm, &v);
	v.dirty = 0;
}

struct cet_case {
	enum tm_id m;
	enum variant var;
	uint32_t index;
	uint64_t val;
	bool ok;		/* for guest and host alike */
	const char *msg;
};

#define U MSR_IA32_U_CET
#define S MSR_IA32_S_CET
#define PL0 MSR_IA32_PL0_SSP
#define PL3 MSR_IA32_PL3_SSP
#define IST MSR_IA32_INT_SSP_TAB

/*
 * Models: Sapphire Rapids RAW (SHSTK, IBT, LA57: 7.0.ECX 0xbb417fee), Milan
 * RAW (SHSTK only, no LA57: 7.0.ECX 0x0040068c, AMD has no IBT), Genoa RAW
 * (SHSTK, LA57: 0x00415fce), Ice Lake RAW (no CET: 7.0.ECX 0x40417f4e).
 */
static const struct cet_case cases[] = {
	/* existence (§4.3) */
	{ TM_ICX_RAW, AS_IS, U, 1, false, "IA32_U_CET not enumerated by the CPU model" },
	{ TM_ICX_RAW, AS_IS, S, 4, false, "needs CPUID.7.0:ECX[7] SHSTK or CPUID.7.0:EDX[20] IBT" },
	{ TM_ICX_RAW, AS_IS, PL0, 0x1000, false, "needs CPUID.7.0:ECX[7] SHSTK" },
	{ TM_ICX_RAW, AS_IS, IST, 0x1000, false, "IA32_INT_SSP_TAB not enumerated" },
	{ TM_SPR_RAW, IBT_ONLY, U, CET_ENDBR_EN, true, NULL },
	{ TM_SPR_RAW, IBT_ONLY, PL3, 0x1000, false, "IA32_PL3_SSP not enumerated" },
	{ TM_SPR_RAW, IBT_ONLY, IST, 0x1000, false, "needs CPUID.7.0:ECX[7] SHSTK" },
	{ TM_SPR_RAW, NO_LM, IST, 0x1000, false, "needs long mode" },
	{ TM_SPR_RAW, NO_LM, PL0, 0x1000, true, NULL },
	{ TM_MILAN_RAW, AS_IS, U, CET_SHSTK_EN, true, NULL },
	{ TM_MILAN_RAW, AS_IS, IST, 0x1000, true, NULL },
	/* kvm_is_valid_u_s_cet(), clause by clause */
	{ TM_SPR_RAW, AS_IS, U, 1ull << 6, false, "reserved bits 9:6" },
	{ TM_SPR_RAW, AS_IS, S, 1ull << 9, false, "reserved bits 9:6" },
	{ TM_SPR_RAW, AS_IS, S, CET_SHSTK_EN | CET_WRSS_EN, true, NULL },
	{ TM_SPR_RAW, IBT_ONLY, U, CET_SHSTK_EN, false, "SHSTK_EN/WRSS_EN (bits 1:0) need" },
	{ TM_SPR_RAW, IBT_ONLY, S, CET_WRSS_EN, false, "need CPUID.7.0:ECX[7] SHSTK" },
	{ TM_MILAN_RAW, AS_IS, U, CET_ENDBR_EN, false, "need CPUID.7.0:EDX[20] IBT" },
	{ TM_MILAN_RAW, AS_IS, S, CET_SUPPRESS_DISABLE, false, "bits 5:2 and 63:10" },
	{ TM_MILAN_RAW, AS_IS, S, CET_SUPPRESS, false, "bits 5:2 and 63:10" },
	{ TM_MILAN_RAW, AS_IS, U, 0x4000, false, "legacy bitmap" },
	{ TM_MILAN_RAW, AS_IS, U, 1ull << 63, false, "need CPUID.7.0:EDX[20] IBT" },
	{ TM_SPR_RAW, AS_IS, U, CET_ENDBR_EN | CET_LEG_IW_EN | CET_NO_TRACK_EN, true, NULL },
	{ TM_SPR_RAW, AS_IS, U, 0x1000, false, "not 16 KiB aligned" },
	{ TM_SPR_RAW, AS_IS, U, 0x2000, false, "not 16 KiB aligned" },
	{ TM_SPR_RAW, AS_IS, U, 0x7fffffffc000ull | CET_ENDBR_EN, true, NULL },
	{ TM_SPR_RAW, AS_IS, S, CET_SUPPRESS | CET_WAIT_ENDBR, false, "both set" },
	{ TM_SPR_RAW, AS_IS, S, CET_SUPPRESS, true, NULL },
	{ TM_SPR_RAW, AS_IS, S, CET_WAIT_ENDBR, true, NULL },
	/* PLx_SSP: canonical and 4-byte aligned; INT_SSP_TAB: canonical only */
	{ TM_MILAN_RAW, AS_IS, PL0, 0x1002, false, "not 4-byte aligned" },
	{ TM_MILAN_RAW, AS_IS, PL3, 0x1001, false, "not 4-byte aligned" },
	{ TM_MILAN_RAW, AS_IS, PL3, 0x1004, true, NULL },
	{ TM_MILAN_RAW, AS_IS, IST, 0x1001, true, NULL },
	{ TM_MILAN_RAW, AS_IS, PL0, 0x00007ffffffff000ull, true, NULL },
	{ TM_MILAN_RAW, AS_IS, PL0, 0x0000800000000000ull, false, "non-canonical address (48-bit)" },
	{ TM_MILAN_RAW, AS_IS, PL0, 0xffff800000000000ull, true, NULL },
	{ TM_MILAN_RAW, AS_IS, IST, 0xfff0800000000000ull, false, "non-canonical" },
	{ TM_MILAN_RAW, AS_IS, IST, 0x8000000000000000ull, false, "non-canonical" },
	/* LA57 models: 57-bit canonical */
	{ TM_SPR_RAW, AS_IS, PL0, 0x0000800000000000ull, true, NULL },
	{ TM_GENOA_RAW, AS_IS, PL3, 0x00fffffffffff000ull, true, NULL },
	{ TM_SPR_RAW, AS_IS, PL0, 0x0100000000000000ull, false, "non-canonical address (57-bit)" },
	{ TM_SPR_RAW, AS_IS, IST, 0xff00000000000000ull, true, NULL },
	{ TM_SPR_RAW, AS_IS, IST, 0xfe00000000000000ull, false, "non-canonical" },
};

static void test_cet_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct cet_case *c = &cases[i];

		for (int who = MSR_GUEST; who <= MSR_HOST; who++) {
			struct msr_vcpu before;
			enum msr_status st;
			uint64_t r = 0xabc;

			setup(c->m, c->var);
			before = v;
			err_clear();
			st = msr_write(&vm, &v, c->index, c->val, (enum msr_access)who);
			if (st != (c->ok ? MSR_OK : MSR_GP))
				fail_msg("case %zu (%s, %s 0x%x=0x%llx): got %d (%s)", i,
					 tm_get(c->m)->name, who ? "host" : "guest", c->index,
					 (unsigned long long)c->val, st, err_msg());
			if (!c->ok) {
				if (!strstr(err_msg(), c->msg))
					fail_msg("case %zu: '%s' lacks '%s'", i, err_msg(), c->msg);
				assert_non_null(strstr(err_msg(), who ? "host write" : "guest WRMSR"));
				assert_memory_equal(&before, &v, TM_VCPU_STATE_SIZE);
				continue;
			}
			assert_int_equal(v.dirty, c->val ? MSR_DIRTY_CET : 0);
			assert_int_equal(msr_read(&vm, &v, c->index, &r, MSR_GUEST), MSR_OK);
			assert_int_equal(r, c->val);
			/* Same value again: not dirty. */
			v.dirty = 0;
			assert_int_equal(msr_write(&vm, &v, c->index, c->val, (enum msr_access)who),
					 MSR_OK);
			assert_int_equal(v.dirty, 0);
		}
	}
}

/* Reads: guest #GP without the MSR, host gets 0; host may restore 0 only. */
static void test_cet_absent(void **state)
{
	static const uint32_t idx[] = { U, S, PL0, MSR_IA32_PL1_SSP, MSR_IA32_PL2_SSP, PL3, IST };
	uint64_t r;

	(void)state;
	setup(TM_ICX_RAW, AS_IS);
	for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
		r = 5;
		assert_int_equal(msr_read(&vm, &v, idx[i], &r, MSR_GUEST), MSR_GP);
		assert_int_equal(r, 5);
		assert_non_null(strstr(err_msg(), "guest RDMSR"));
		assert_int_equal(msr_read(&vm, &v, idx[i], &r, MSR_HOST), MSR_OK);
		assert_int_equal(r, 0);
		assert_int_equal(msr_write(&vm, &v, idx[i], 0, MSR_HOST), MSR_OK);
		assert_int_equal(msr_write(&vm, &v, idx[i], 0x1000, MSR_HOST), MSR_GP);
		assert_non_null(strstr(err_msg(), "host write"));
		assert_int_equal(msr_write(&vm, &v, idx[i], 0, MSR_GUEST), MSR_GP);
	}
	assert_int_equal(v.dirty, 0);
	/* INT_SSP_TAB without LM: read #GP too. */
	setup(TM_SPR_RAW, NO_LM);
	assert_int_equal(msr_read(&vm, &v, IST, &r, MSR_GUEST), MSR_GP);
	assert_non_null(strstr(err_msg(), "needs long mode"));
}

/* All PLx_SSP slots are distinct and read back. */
static void test_cet_slots(void **state)
{
	uint64_t r;

	(void)state;
	setup(TM_SPR_RAW, AS_IS);
	for (uint32_t i = 0; i < 4; i++)
		assert_int_equal(msr_write(&vm, &v, PL0 + i, 0x1000 * (i + 1), MSR_GUEST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, IST, 0x9000, MSR_GUEST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, U, CET_SHSTK_EN, MSR_GUEST), MSR_OK);
	assert_int_equal(msr_write(&vm, &v, S, CET_ENDBR_EN, MSR_GUEST), MSR_OK);
	for (uint32_t i = 0; i < 4; i++) {
		assert_int_equal(msr_read(&vm, &v, PL0 + i, &r, MSR_GUEST), MSR_OK);
		assert_int_equal(r, 0x1000 * (i + 1));
	}
	assert_int_equal(v.int_ssp_tab, 0x9000);
	assert_int_equal(v.u_cet, CET_SHSTK_EN);
	assert_int_equal(v.s_cet, CET_ENDBR_EN);
	/* RESET zeroes CET state (§4.6). */
	msr_vcpu_reset(&vm, &v);
	assert_int_equal(v.u_cet | v.s_cet | v.int_ssp_tab | v.pl_ssp[0] | v.pl_ssp[3], 0);
}

/* IA32_XSS (§4.1): CET bits iff SHSTK or IBT; nothing else; guest needs XSAVES. */
static void test_xss(void **state)
{
	static const struct {
		enum tm_id m;
		enum variant var;
		uint64_t supported;
	} t[] = {
		{ TM_SPR_RAW, AS_IS, 0x1800 },
		{ TM_SPR_RAW, IBT_ONLY, 0x1800 },
		{ TM_MILAN_RAW, AS_IS, 0x1800 },
		{ TM_GENOA_KVM, AS_IS, 0x1800 },
		{ TM_ICX_RAW, AS_IS, 0 },
		{ TM_CLX_KVM, AS_IS, 0 },
		{ TM_SPR_RAW, NO_XSAVES, 0 },
	};
	static const uint64_t vals[] = { 0, 0x800, 0x1000, 0x1800, 0x100 /* PT */, 0x8000, 1ull << 63 };

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		setup(t[i].m, t[i].var);
		assert_int_equal(vm.xss_supported, t[i].supported);
		for (size_t j = 0; j < sizeof(vals) / sizeof(vals[0]); j++) {
			bool ok = !(vals[j] & ~t[i].supported);
			struct msr_vcpu before;
			uint64_t r;

			for (int who = MSR_GUEST; who <= MSR_HOST; who++) {
				bool gok = ok && (who == MSR_HOST || t[i].var != NO_XSAVES);

				before = v;
				v.dirty = 0;
				before.dirty = 0;
				assert_int_equal(msr_write(&vm, &v, MSR_IA32_XSS, vals[j],
							   (enum msr_access)who),
						 gok ? MSR_OK : MSR_GP);
				if (!gok) {
					assert_memory_equal(&before, &v, TM_VCPU_STATE_SIZE);
					continue;
				}
				assert_int_equal(msr_read(&vm, &v, MSR_IA32_XSS, &r, MSR_HOST), MSR_OK);
				assert_int_equal(r, vals[j]);
				assert_int_equal(!!v.dirty, before.xss != vals[j]);
			}
		}
	}
	setup(TM_SPR_RAW, NO_XSAVES);
	uint64_t r;
	assert_int_equal(msr_read(&vm, &v, MSR_IA32_XSS, &r, MSR_GUEST), MSR_GP);
	assert_string_equal(err_msg(), "guest RDMSR 0xda0: IA32_XSS not enumerated by the CPU model "
			    "(needs CPUID.0xD.1:EAX[3] XSAVES)");
	setup(TM_ICX_RAW, AS_IS);
	assert_int_equal(msr_write(&vm, &v, MSR_IA32_XSS, 0x800, MSR_GUEST), MSR_GP);
	assert_non_null(strstr(err_msg(), "bits 0x800 not supported for this CPU model"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cet_table),
		cmocka_unit_test(test_cet_absent),
		cmocka_unit_test(test_cet_slots),
		cmocka_unit_test(test_xss),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
