/* SPDX-License-Identifier: MIT */
/* The forcing policy (cpu-security-controls.md §3.3, §3.5) and its parsers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "msr/msr.h"
#include "policy/forcing.h"
#include "test_msr_models.h"
#include "util/err.h"

#define BHB MITI_CTRL_BHB_CLEAR_SEQ_S_USED
#define RET MITI_CTRL_RETPOLINE_S_USED
#define BHI SPEC_CTRL_BHI_DIS_S
#define RRS SPEC_CTRL_RRSBA_DIS_S

enum { HOST_SPR_BHI_NO = TM_COUNT };	/* synthetic: SPR with BHI_NO set */

static void host(int id, struct host_facts *hf)
{
	if (id == HOST_SPR_BHI_NO) {
		/* No part in cpu-generations.md enumerates BHI_NO; SPR + bit 20. */
		struct host_profile *hp = test_calloc(1, sizeof(*hp));

		tm_cpuid(TM_SPR_RAW, &hp->cpuid);
		hp->arch_cap = tm_get(TM_SPR_RAW)->arch_cap | ARCH_CAP_BHI_NO;
		host_facts_from_profile(hp, hf);
		test_free(hp);
		return;
	}
	tm_host((enum tm_id)id, hf);
}

static void test_host_facts(void **state)
{
	struct host_facts hf;

	(void)state;
	/* SPR RAW: 7.2.EDX 0x17, ARCH_CAP 0xa8fdeb. */
	host(TM_SPR_RAW, &hf);
	assert_int_equal(hf.arch_cap, 0xa8fdeb);
	assert_true(hf.rrsba_ctrl);
	assert_true(hf.bhi_ctrl);
	assert_int_equal(hf.spec_ctrl_supported, 0x4ff);
	/* GNR RAW: 7.2.EDX 0x3f. */
	host(TM_GNR_RAW, &hf);
	assert_int_equal(hf.spec_ctrl_supported, 0x5ff);
	assert_int_equal(hf.arch_cap, 0x2da9fdeb);
	/* CLX KVM: no leaf 7.2. */
	host(TM_CLX_KVM, &hf);
	assert_false(hf.rrsba_ctrl || hf.bhi_ctrl);
	assert_int_equal(hf.spec_ctrl_supported, 0x7);
	/* Rome TR PRO: AMD STIBP/SSBD, no IBRS. */
	host(TM_ROME_TRPRO_RAW, &hf);
	assert_int_equal(hf.spec_ctrl_supported, 0x6);
	assert_int_equal(hf.arch_cap, 0);
}

struct fcase {
	int host;
	enum mitigation_policy p;
	uint64_t ctrl;
	uint64_t mask;		/* all forced to 1 in these cases */
};

static const struct fcase fcases[] = {
	/* Sapphire Rapids: BHI_CTRL without BHI_NO; RRSBA_CTRL with RRSBA. */
	{ TM_SPR_RAW, POLICY_GUEST_REQUEST, 0, 0 },
	{ TM_SPR_RAW, POLICY_GUEST_REQUEST, BHB, BHI },
	{ TM_SPR_RAW, POLICY_GUEST_REQUEST, RET, RRS },
	{ TM_SPR_RAW, POLICY_GUEST_REQUEST, BHB | RET, BHI | RRS },
	{ TM_SPR_RAW, POLICY_ALWAYS, 0, BHI | RRS },
	{ TM_SPR_RAW, POLICY_ALWAYS, BHB, BHI | RRS },
	{ TM_SPR_RAW, POLICY_OFF, BHB | RET, 0 },
	/* Emerald / Granite Rapids, Alder Lake-P (0x88fd6b has RRSBA): same. */
	{ TM_EMR_RAW, POLICY_GUEST_REQUEST, BHB | RET, BHI | RRS },
	{ TM_GNR_RAW, POLICY_GUEST_REQUEST, BHB | RET, BHI | RRS },
	{ TM_GNR_RAW, POLICY_ALWAYS, 0, BHI | RRS },
	{ TM_ADLP_RAW, POLICY_GUEST_REQUEST, RET, RRS },
	/* Cascade Lake (KVM 0x0c0aa0eb has RRSBA, no leaf 7.2): nothing. */
	{ TM_CLX_KVM, POLICY_GUEST_REQUEST, BHB | RET, 0 },
	{ TM_CLX_KVM, POLICY_ALWAYS, 0, 0 },
	/* Ice Lake: neither. */
	{ TM_ICX_RAW, POLICY_ALWAYS, BHB | RET, 0 },
	/* AMD: neither control. */
	{ TM_MILAN_KVM, POLICY_ALWAYS, BHB | RET, 0 },
	{ TM_GENOA_RAW, POLICY_GUEST_REQUEST, BHB | RET, 0 },
	{ TM_ROME_TRPRO_RAW, POLICY_ALWAYS, 0, 0 },
	/* BHI_NO host: BHI_DIS_S not needed; RRSBA_DIS_S still is. */
	{ HOST_SPR_BHI_NO, POLICY_GUEST_REQUEST, BHB | RET, RRS },
	{ HOST_SPR_BHI_NO, POLICY_ALWAYS, 0, RRS },
	/* Out-of-range policy value: treated as off. */
	{ TM_SPR_RAW, (enum mitigation_policy)7, BHB | RET, 0 },
};

static void test_forcing_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(fcases) / sizeof(fcases[0]); i++) {
		const struct fcase *c = &fcases[i];
		struct force_config fc = { .policy = c->p };
		struct host_facts hf;
		struct forcing f;

		host(c->host, &hf);
		forcing_compute(&hf, &fc, c->ctrl, &f);
		if (f.mask != c->mask || f.value != c->mask)
			fail_msg("case %zu: mask 0x%llx value 0x%llx, want 0x%llx", i,
				 (unsigned long long)f.mask, (unsigned long long)f.value,
				 (unsigned long long)c->mask);
		/* One reason per forced bit, in bit order. */
		assert_int_equal(f.nreasons, __builtin_popcountll(c->mask));
		for (unsigned int r = 0; r < f.nreasons; r++) {
			assert_true(f.mask & f.reasons[r].bit);
			assert_true(strlen(f.reasons[r].text) > 20);
		}
	}
}

static void test_reason_texts(void **state)
{
	struct force_config fc = { .policy = POLICY_GUEST_REQUEST };
	struct host_facts hf;
	struct forcing f;

	(void)state;
	host(TM_SPR_RAW, &hf);
	forcing_compute(&hf, &fc, BHB | RET, &f);
	assert_int_equal(f.nreasons, 2);
	assert_int_equal(f.reasons[0].bit, RRS);
	assert_string_equal(f.reasons[0].text, "RRSBA_DIS_S: guest reports RETPOLINE_S_USED; "
			    "host has RRSBA_CTRL and enumerates RRSBA (§3.3)");
	assert_int_equal(f.reasons[1].bit, BHI);
	assert_string_equal(f.reasons[1].text, "BHI_DIS_S: guest reports BHB_CLEAR_SEQ_S_USED; "
			    "host has BHI_CTRL and lacks BHI_NO (§3.3)");
	fc.policy = POLICY_ALWAYS;
	forcing_compute(&hf, &fc, 0, &f);
	assert_string_equal(f.reasons[1].text, "BHI_DIS_S: policy always; host has BHI_CTRL and "
			    "lacks BHI_NO (§3.3, §3.5)");
}

/* Explicit --force-spec-ctrl wins for its bits, either way (§3.3). */
static void test_explicit_precedence(void **state)
{
	static const struct {
		int host;
		enum mitigation_policy p;
		uint64_t ctrl, emask, evalue, mask, value;
	} t[] = {
		/* Pin BHI_DIS_S to 0 although the guest asks for it. */
		{ TM_SPR_RAW, POLICY_GUEST_REQUEST, BHB | RET, BHI, 0, BHI | RRS, RRS },
		{ TM_SPR_RAW, POLICY_ALWAYS, 0, BHI | RRS, 0, BHI | RRS, 0 },
		/* Force bits on with policy off. */
		{ TM_SPR_RAW, POLICY_OFF, BHB, BHI | SPEC_CTRL_IBRS, BHI | SPEC_CTRL_IBRS,
		  BHI | SPEC_CTRL_IBRS, BHI | SPEC_CTRL_IBRS },
		/* Explicit and policy agree. */
		{ TM_SPR_RAW, POLICY_GUEST_REQUEST, BHB, BHI, BHI, BHI, BHI },
		/* Mixed: explicit SSBD=1, policy adds RRSBA_DIS_S. */
		{ TM_GNR_RAW, POLICY_GUEST_REQUEST, RET, SPEC_CTRL_SSBD, SPEC_CTRL_SSBD,
		  SPEC_CTRL_SSBD | RRS, SPEC_CTRL_SSBD | RRS },
		/* Bits the host lacks are dropped (ICX has no BHI_CTRL). */
		{ TM_ICX_RAW, POLICY_OFF, 0, BHI | SPEC_CTRL_STIBP, SPEC_CTRL_STIBP,
		  SPEC_CTRL_STIBP, SPEC_CTRL_STIBP },
		/* Empty explicit mask: policy alone. */
		{ TM_SPR_RAW, POLICY_ALWAYS, 0, 0, 0, BHI | RRS, BHI | RRS },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct force_config fc = { .policy = t[i].p, .explicit_set = true,
					   .explicit_mask = t[i].emask,
					   .explicit_value = t[i].evalue };
		struct host_facts hf;
		struct forcing f;

		host(t[i].host, &hf);
		forcing_compute(&hf, &fc, t[i].ctrl, &f);
		assert_int_equal(f.mask, t[i].mask);
		assert_int_equal(f.value, t[i].value);
		assert_int_equal(f.nreasons, __builtin_popcountll(t[i].mask));
	}

	struct force_config fc = { .policy = POLICY_GUEST_REQUEST, .explicit_set = true,
				   .explicit_mask = BHI, .explicit_value = 0 };
	struct host_facts hf;
	struct forcing f;

	host(TM_SPR_RAW, &hf);
	forcing_compute(&hf, &fc, BHB, &f);
	assert_int_equal(f.nreasons, 1);
	assert_string_equal(f.reasons[0].text, "BHI_DIS_S: forced to 0 by --force-spec-ctrl "
			    "0x400:0x0 (explicit, overrides the policy, which would force it to 1)");
}

static void test_reasons_capacity(void **state)
{
	struct force_config fc = { .policy = POLICY_ALWAYS, .explicit_set = true,
				   .explicit_mask = ~0ull, .explicit_value = 0x5ff };
	struct host_facts hf;
	struct forcing f;

	(void)state;
	host(TM_GNR_RAW, &hf);
	forcing_compute(&hf, &fc, 3, &f);
	assert_int_equal(f.mask, 0x5ff);
	assert_int_equal(f.nreasons, 10);
	/* Inconsistent facts: still only defined bits, reasons bounded. */
	hf.spec_ctrl_supported = ~0ull;
	forcing_compute(&hf, &fc, 3, &f);
	assert_int_equal(f.mask, SPEC_CTRL_DEFINED);
	assert_true(f.nreasons <= FORCE_MAX_REASONS);
}

static void test_host_needs(void **state)
{
	struct host_facts hf;
	const char *why;

	(void)state;
	host(TM_CLX_KVM, &hf);
	assert_false(forcing_host_needs(&hf, RRS, &why));
	assert_string_equal(why, "host lacks RRSBA_CTRL (CPUID.7.2:EDX[2])");
	assert_false(forcing_host_needs(&hf, BHI, &why));
	assert_string_equal(why, "host lacks BHI_CTRL (CPUID.7.2:EDX[4])");
	host(HOST_SPR_BHI_NO, &hf);
	assert_false(forcing_host_needs(&hf, BHI, &why));
	assert_string_equal(why, "host enumerates BHI_NO (ARCH_CAPABILITIES[20])");
	assert_true(forcing_host_needs(&hf, RRS, NULL));
	/* RRSBA_CTRL without RRSBA: a hypothetical SPR microcode without bit 19. */
	host(TM_SPR_RAW, &hf);
	hf.arch_cap &= ~ARCH_CAP_RRSBA;
	assert_false(forcing_host_needs(&hf, RRS, &why));
	assert_string_equal(why, "host does not enumerate RRSBA (ARCH_CAPABILITIES[19])");
	assert_false(forcing_host_needs(&hf, SPEC_CTRL_IBRS, &why));
}

static void test_mitigation_enum(void **state)
{
	struct force_config fc = { .policy = POLICY_GUEST_REQUEST };
	struct host_facts spr, icx;

	(void)state;
	host(TM_SPR_RAW, &spr);
	host(TM_ICX_RAW, &icx);
	assert_int_equal(forcing_mitigation_enum(&spr, &fc), 3);
	assert_int_equal(forcing_mitigation_enum(&icx, &fc), 3);	/* host-independent */
	fc.policy = POLICY_ALWAYS;
	assert_int_equal(forcing_mitigation_enum(&spr, &fc), 3);
	fc.policy = POLICY_OFF;
	assert_int_equal(forcing_mitigation_enum(&spr, &fc), 0);
	fc.explicit_set = true;
	fc.explicit_mask = fc.explicit_value = BHI;
	assert_int_equal(forcing_mitigation_enum(&spr, &fc),
			 MITI_ENUM_BHB_CLEAR_SEQ_S_SUPPORT);
	fc.policy = POLICY_GUEST_REQUEST;
	fc.explicit_mask = RRS;
	fc.explicit_value = 0;
	assert_int_equal(forcing_mitigation_enum(&spr, &fc),
			 MITI_ENUM_BHB_CLEAR_SEQ_S_SUPPORT);
}

static void test_policy_parse(void **state)
{
	static const char *const names[] = { "guest-request", "always", "off" };
	enum mitigation_policy p;

	(void)state;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(policy_parse(names[i], &p), 0);
		assert_int_equal(p, i);
		assert_string_equal(policy_name(p), names[i]);
	}
	static const char *const bad[] = { "", "Always", "guest_request", "on", "off ", NULL };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = POLICY_ALWAYS;
		assert_int_equal(policy_parse(bad[i], &p), -EINVAL);
		assert_int_equal(p, POLICY_ALWAYS);
		assert_non_null(strstr(err_msg(), "want guest-request, always or off"));
	}
	assert_string_equal(policy_name((enum mitigation_policy)9), "?");
}

static void test_force_parse(void **state)
{
	static const struct { const char *s; uint64_t mask, value; } good[] = {
		{ "0x440:0x400", 0x440, 0x400 },
		{ "0X440:0X40", 0x440, 0x40 },
		{ "1024:1024", 0x400, 0x400 },
		{ "010:2", 10, 2 },			/* decimal, not octal */
		{ "0x1:0", 1, 0 },
		{ "0:0", 0, 0 },
		{ "0xffffffffffffffff:0xffffffffffffffff", ~0ull, ~0ull },
		{ "18446744073709551615:0", ~0ull, 0 },
	};
	static const char *const bad[] = {
		"", "0x440", "0x400:0x40", "1:2", ":", "0x:0", "1:", ":1", "-1:0", "1:-0",
		"0x10000000000000000:0", "18446744073709551616:0", " 1:1", "1:1 ", "0x1g:0",
		"1:0:0", "+1:0", "0b1:0", NULL,
	};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct force_config fc = { .policy = POLICY_OFF };

		assert_int_equal(force_spec_ctrl_parse(good[i].s, &fc), 0);
		assert_true(fc.explicit_set);
		assert_int_equal(fc.explicit_mask, good[i].mask);
		assert_int_equal(fc.explicit_value, good[i].value);
		assert_int_equal(fc.policy, POLICY_OFF);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct force_config fc = { 0 };

		err_clear();
		if (force_spec_ctrl_parse(bad[i], &fc) != -EINVAL)
			fail_msg("'%s' accepted", bad[i] ? bad[i] : "(null)");
		assert_false(fc.explicit_set);
		assert_non_null(strstr(err_msg(), "--force-spec-ctrl"));
	}
	struct force_config fc = { 0 };
	assert_int_equal(force_spec_ctrl_parse("0x400:0x40", &fc), -EINVAL);
	assert_string_equal(err_msg(), "--force-spec-ctrl '0x400:0x40': VALUE bits 0x40 are not "
			    "in MASK");
}

static void test_force_check(void **state)
{
	struct force_config fc = { .policy = POLICY_GUEST_REQUEST };
	struct host_facts spr, icx;

	(void)state;
	host(TM_SPR_RAW, &spr);
	host(TM_ICX_RAW, &icx);
	assert_int_equal(force_config_check(&fc, &icx), 0);	/* nothing explicit */
	fc.explicit_set = true;
	fc.explicit_mask = fc.explicit_value = BHI | RRS;
	assert_int_equal(force_config_check(&fc, &spr), 0);
	assert_int_equal(force_config_check(&fc, &icx), -EINVAL);
	assert_string_equal(err_msg(), "--force-spec-ctrl: cannot force RRSBA_DIS_S|BHI_DIS_S "
			    "(0x440) to 1: not supported by this host (host supports 0x7)");
	/* Forcing to 0 what the host lacks is fine (one command line per pool). */
	fc.explicit_value = 0;
	assert_int_equal(force_config_check(&fc, &icx), 0);
	/* Undefined bits (9, 11+) are refused. */
	fc.explicit_mask = 1ull << 9;
	assert_int_equal(force_config_check(&fc, &spr), -EINVAL);
	assert_non_null(strstr(err_msg(), "bits 0x200 are not defined"));
	fc.explicit_mask = 1ull << 40;
	assert_int_equal(force_config_check(&fc, &spr), -EINVAL);
	/* VALUE outside MASK (struct filled by hand). */
	fc.explicit_mask = BHI;
	fc.explicit_value = RRS;
	assert_int_equal(force_config_check(&fc, &spr), -EINVAL);
	/* Rome TR PRO host has no IBRS: cannot force it on. */
	struct host_facts rome;
	host(TM_ROME_TRPRO_RAW, &rome);
	fc.explicit_mask = fc.explicit_value = SPEC_CTRL_IBRS;
	assert_int_equal(force_config_check(&fc, &rome), -EINVAL);
	fc.explicit_mask = fc.explicit_value = SPEC_CTRL_STIBP;
	assert_int_equal(force_config_check(&fc, &rome), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_facts),
		cmocka_unit_test(test_forcing_table),
		cmocka_unit_test(test_reason_texts),
		cmocka_unit_test(test_explicit_precedence),
		cmocka_unit_test(test_reasons_capacity),
		cmocka_unit_test(test_host_needs),
		cmocka_unit_test(test_mitigation_enum),
		cmocka_unit_test(test_policy_parse),
		cmocka_unit_test(test_force_parse),
		cmocka_unit_test(test_force_check),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
