/* SPDX-License-Identifier: MIT */
/* Pool baseline (every merge rule), the enforcement plan, pool_check reasons,
 * and golden outputs in tests/golden/ (run from the repo root; set
 * SPECVISOR_UPDATE_GOLDEN=1 to rewrite them after an intended change). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cpu/host_json.h"
#include "cpu/json_priv.h"
#include "cpu/model_json.h"
#include "cpu/pool.h"
#include "msr/msr_index.h"
#include "util/err.h"

static struct host_profile hosts[4];
static struct cpu_model m;
static struct pool_plan plan;
static struct pool_reasons why;

static void load_hosts(const char *const *names, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		char path[128];

		snprintf(path, sizeof(path), "data/hosts/%s.json", names[i]);
		if (host_profile_load(path, &hosts[i]))
			fail_msg("%s", err_msg());
	}
}

static void baseline(unsigned int n)
{
	if (pool_baseline(hosts, n, &m, &plan))
		fail_msg("%s", err_msg());
}

/* Compare text with a golden file (or rewrite it). */
static void golden(const char *file, const char *text, size_t len)
{
	char path[256], *want;
	size_t wlen;

	snprintf(path, sizeof(path), "tests/golden/%s", file);
	if (getenv("SPECVISOR_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fwrite(text, 1, len, f);
		fclose(f);
		return;
	}
	if (jread_file(path, &want, &wlen))
		fail_msg("%s (run from the repo root; SPECVISOR_UPDATE_GOLDEN=1 creates it)", err_msg());
	if (wlen != len || memcmp(want, text, len))
		fail_msg("output differs from %s:\n%.*s", path, (int)len, text);
	free(want);
}

static void golden_model(const char *file, const struct cpu_model *x)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(model_write_json(x, f), 0);
	fclose(f);
	golden(file, buf, len);
	free(buf);
}

static void golden_reasons(const char *file, const struct pool_reasons *r)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	for (unsigned int i = 0; i < r->n; i++)
		fprintf(f, "%s\n", r->r[i].text);
	fclose(f);
	golden(file, buf, len);
	free(buf);
}

/* Every host of a pool can run the pool's baseline. */
static void assert_baseline_runs_everywhere(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (pool_check(&m, &hosts[i], &why))
			fail_msg("baseline refused on %s: %s", hosts[i].name, why.r[0].text);
}

static void test_golden_baselines(void **state)
{
	static const char *const pools[][2] = {
		{ "cascadelake", "sapphirerapids" }, { "icelake", "graniterapids" }, { "zen3", "zen4" },
	};

	for (unsigned int p = 0; p < 3; p++) {
		char file[128];

		load_hosts(pools[p], 2);
		baseline(2);
		snprintf(file, sizeof(file), "pool-baseline-%s-%s.json", pools[p][0], pools[p][1]);
		golden_model(file, &m);
		assert_baseline_runs_everywhere(2);
		/* Order does not matter. */
		{
			static struct cpu_model m1;
			struct host_profile t = hosts[0];

			m1 = m;
			hosts[0] = hosts[1];
			hosts[1] = t;
			baseline(2);
			assert_int_equal(m.family, m1.family);
			assert_int_equal(m.model, m1.model);
			assert_int_equal(m.arch_cap, m1.arch_cap);
			for (unsigned int i = 0; i < m1.cpuid.nent; i++)
				assert_memory_equal(cpuid_find(&m.cpuid, m1.cpuid.ent[i].function, m1.cpuid.ent[i].index),
						    &m1.cpuid.ent[i], sizeof(struct cpuid_entry));
		}
	}
}

static void test_golden_refusals(void **state)
{
	static const char *const mixed[] = { "sapphirerapids", "zen4" };
	static const char *const clx[] = { "cascadelake" };

	load_hosts(mixed, 2);
	assert_int_equal(pool_baseline(hosts, 2, &m, NULL), -EINVAL);
	{
		char line[600];
		int n = snprintf(line, sizeof(line), "%s\n", err_msg());

		golden("pool-baseline-sapphirerapids-zen4.txt", line, (size_t)n);
	}
	assert_non_null(strstr(err_msg(), "sapphirerapids (GenuineIntel)"));
	assert_non_null(strstr(err_msg(), "zen4 (AuthenticAMD)"));
	assert_int_equal(model_load("sapphirerapids", &m), 0);
	assert_true(pool_check(&m, &hosts[1], &why) > 0);
	golden_reasons("pool-check-sapphirerapids-on-zen4.txt", &why);
	load_hosts(clx, 1);
	assert_true(pool_check(&m, &hosts[0], &why) > 0);
	golden_reasons("pool-check-sapphirerapids-on-cascadelake.txt", &why);
}

/* CPUID: features ANDed, leaves some host lacks dropped, signature of the
 * oldest, value registers of that host, max leaves consistent. */
static void test_cpuid_rules(void **state)
{
	static const char *const names[] = { "sapphirerapids", "cascadelake" };

	load_hosts(names, 2);
	baseline(2);
	assert_int_equal(m.vendor, VENDOR_INTEL);
	assert_int_equal(m.family, 6);
	assert_int_equal(m.model, 0x55);
	assert_int_equal(m.stepping, 7);
	assert_int_equal(cpuid_reg(&m.cpuid, 1, 0, CPUID_EAX), 0x00050657);
	assert_int_equal(cpuid_reg(&m.cpuid, 7, 0, CPUID_EDX), 0xbfd14410u & 0xbc000400u);
	assert_int_equal(cpuid_reg(&m.cpuid, 7, 0, CPUID_ECX), 0x1b405fcau & 0x808u);
	assert_null(cpuid_find(&m.cpuid, 7, 2));	/* CLX has no 7.2 */
	assert_null(cpuid_find(&m.cpuid, 7, 1));
	assert_null(cpuid_find(&m.cpuid, 0xd, 11));	/* CET sub-leaves only where all have them */
	assert_int_equal(cpuid_reg(&m.cpuid, 7, 0, CPUID_EAX), 0);
	assert_int_equal(cpuid_reg(&m.cpuid, 0, 0, CPUID_EAX), 0x16);	/* the lower of 0x16, 0x20 */
	assert_null(cpuid_find(&m.cpuid, 0xd, 2));	/* only managed leaves */
	assert_string_equal(m.qemu, "Cascadelake-Server-v2");
	assert_string_equal(m.data_kind, "derived");
	assert_non_null(model_source(&m, "cpuid.0x7.0.edx"));
	assert_non_null(strstr(model_source(&m, "signature"), "cascadelake"));
	assert_int_equal(model_validate(&m), 0);
}

static void test_address_and_dynamic(void **state)
{
	static const char *const names[] = { "sapphirerapids", "graniterapids" };

	load_hosts(names, 2);
	cpuid_find_mut(&hosts[1].cpuid, 0x80000008, 0)->eax = 0x00003927;
	cpuid_find_mut(&hosts[0].cpuid, 1, 0)->ecx |= 1u << 31 | 1u << 27;
	cpuid_find_mut(&hosts[1].cpuid, 1, 0)->ecx |= 1u << 31 | 1u << 27;
	cpuid_find_mut(&hosts[0].cpuid, 1, 0)->ebx |= 0x05040000;
	cpuid_find_mut(&hosts[0].cpuid, 1, 0)->eax |= 0xf0003000;	/* type and reserved bits */
	baseline(2);
	assert_int_equal(cpuid_reg(&m.cpuid, 1, 0, CPUID_EAX), 0x000806f8);
	assert_int_equal(cpuid_reg(&m.cpuid, 0x80000008, 0, CPUID_EAX), 0x00003027);
	assert_false(cpuid_has(&m.cpuid, F_HYPERVISOR));
	assert_int_equal(cpuid_reg(&m.cpuid, 1, 0, CPUID_ECX) & (1u << 27), 0);
	assert_int_equal(cpuid_reg(&m.cpuid, 1, 0, CPUID_EBX), 0x800);
	/* SPR is older than GNR (0x8f < 0xad). */
	assert_int_equal(m.model, 0x8f);
	assert_int_equal(cpuid_reg(&m.cpuid, 7, 2, CPUID_EDX), 0x17);
}

/* Synthetic pool to isolate one ARCH_CAPABILITIES bit. */
static uint64_t acap_baseline(uint64_t a, uint64_t b)
{
	static const char *const names[] = { "sapphirerapids", "sapphirerapids" };

	load_hosts(names, 2);
	hosts[0].arch_cap = a;
	hosts[1].arch_cap = b;
	baseline(2);
	return m.arch_cap;
}

static void test_arch_cap_rules(void **state)
{
	static const uint64_t and_bits[] = {
		ARCH_CAP_RDCL_NO, ARCH_CAP_IBRS_ALL, ARCH_CAP_SKIP_VMENTRY_L1DFLUSH, ARCH_CAP_SSB_NO,
		ARCH_CAP_MDS_NO, ARCH_CAP_PSCHANGE_MC_NO, ARCH_CAP_TSX_CTRL_MSR, ARCH_CAP_TAA_NO,
		ARCH_CAP_SBDR_SSDP_NO, ARCH_CAP_FBSDP_NO, ARCH_CAP_PSDP_NO, ARCH_CAP_BHI_NO,
		ARCH_CAP_PBRSB_NO, ARCH_CAP_GDS_NO, ARCH_CAP_RFDS_NO, ARCH_CAP_ITS_NO,
	};
	static const uint64_t or_bits[] = { ARCH_CAP_RSBA, ARCH_CAP_RRSBA, ARCH_CAP_FB_CLEAR, ARCH_CAP_RFDS_CLEAR };
	static const unsigned int never[] = { 9, 10, 11, 12, 16, 18, 21, 22, 23, 25, 29, 30, 32, 40, 61, 63 };

	for (unsigned int i = 0; i < sizeof(and_bits) / sizeof(and_bits[0]); i++) {
		assert_int_equal(acap_baseline(and_bits[i], and_bits[i]), and_bits[i]);
		assert_int_equal(acap_baseline(and_bits[i], 0), 0);
		assert_int_equal(acap_baseline(0, and_bits[i]), 0);
	}
	for (unsigned int i = 0; i < sizeof(or_bits) / sizeof(or_bits[0]); i++) {
		assert_int_equal(acap_baseline(or_bits[i], or_bits[i]), or_bits[i]);
		assert_int_equal(acap_baseline(or_bits[i], 0), or_bits[i]);
		assert_int_equal(acap_baseline(0, or_bits[i]), or_bits[i]);
	}
	for (unsigned int i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		assert_int_equal(acap_baseline(1ull << never[i], 1ull << never[i]), 0);
	/* A host without the MSR (7.0.EDX[29] = 0): no ARCH_CAPABILITIES at all. */
	acap_baseline(ARCH_CAP_RSBA | ARCH_CAP_MDS_NO, ARCH_CAP_RSBA | ARCH_CAP_MDS_NO);
	assert_int_equal(m.arch_cap, ARCH_CAP_RSBA | ARCH_CAP_MDS_NO);
	cpuid_set_feature(&hosts[1].cpuid, F_ARCH_CAPABILITIES, false);
	baseline(2);
	assert_false(cpuid_has(&m.cpuid, F_ARCH_CAPABILITIES));
	assert_int_equal(m.arch_cap, 0);
	/* The real CLX + SPR pool: FB_CLEAR from CLX survives (OR), ITS_NO from SPR does not (AND). */
	{
		static const char *const names[] = { "cascadelake", "sapphirerapids" };

		load_hosts(names, 2);
		baseline(2);
		assert_true(m.arch_cap & ARCH_CAP_FB_CLEAR);
		assert_true(m.arch_cap & ARCH_CAP_RRSBA);
		assert_false(m.arch_cap & ARCH_CAP_ITS_NO);
		assert_false(m.arch_cap & ARCH_CAP_FBSDP_NO);
		assert_true(m.arch_cap & ARCH_CAP_GDS_NO);
	}
}

static void test_vendor_and_args(void **state)
{
	static const char *const names[] = { "zen3", "icelake", "zen4" };

	load_hosts(names, 3);
	assert_int_equal(pool_baseline(hosts, 3, &m, NULL), -EINVAL);
	assert_non_null(strstr(err_msg(), "mixed CPU vendors: zen3 (AuthenticAMD), icelake (GenuineIntel), "
				"zen4 (AuthenticAMD)"));
	assert_int_equal(pool_baseline(hosts, 0, &m, NULL), -EINVAL);
	assert_non_null(strstr(err_msg(), "no hosts"));
	assert_int_equal(pool_baseline(hosts, POOL_MAX_HOSTS + 1, &m, NULL), -E2BIG);
	/* One host: its own view, which it can run. */
	baseline(1);
	assert_int_equal(m.family, 0x19);
	assert_baseline_runs_everywhere(1);
}

static void test_unpresentable_in_baseline(void **state)
{
	static const char *const names[] = { "sapphirerapids", "graniterapids" };
	struct host_cpuid_change u = { .function = 7, .index = 0, .reg = CPUID_EDX, .bit = 20, .wanted = 1, .got = 0 };

	load_hosts(names, 2);
	hosts[1].unpresentable[hosts[1].nunpresentable++] = u;
	baseline(2);
	assert_false(cpuid_has(&m.cpuid, F_IBT));
	assert_baseline_runs_everywhere(2);
}

static void test_every_pool_runs_everywhere(void **state)
{
	static const char *const intel[] = { "skylake", "cascadelake", "icelake", "sapphirerapids",
		"emeraldrapids", "graniterapids", "alderlake" };
	static const char *const amd[] = { "zen2", "zen3", "zen4", "zen5" };

	for (unsigned int i = 0; i < 7; i++)
		for (unsigned int j = 0; j < 7; j++) {
			const char *p[2] = { intel[i], intel[j] };

			load_hosts(p, 2);
			baseline(2);
			assert_baseline_runs_everywhere(2);
		}
	for (unsigned int i = 0; i < 4; i++)
		for (unsigned int j = 0; j < 4; j++) {
			const char *p[2] = { amd[i], amd[j] };

			load_hosts(p, 2);
			baseline(2);
			assert_baseline_runs_everywhere(2);
		}
}

/* The enforcement plan: CSC §3.3 through forcing_compute(). */
static void test_plan(void **state)
{
	static const char *const names[] = { "cascadelake", "sapphirerapids", "graniterapids", "zen4" };
	const struct pool_host_plan *p;

	load_hosts(names, 3);
	baseline(3);
	assert_int_equal(plan.nhosts, 3);
	p = &plan.host[0];	/* CLX: no RRSBA_CTRL, no BHI_CTRL */
	assert_string_equal(p->name, "cascadelake");
	for (unsigned int i = 0; i < POOL_NREPORTS; i++)
		assert_int_equal(p->forced[i].mask, 0);
	assert_non_null(strstr(p->why_rrsba, "RRSBA_CTRL"));
	assert_non_null(strstr(p->why_bhi, "BHI_CTRL"));
	for (unsigned int h = 1; h < 3; h++) {	/* SPR, GNR: RRSBA + RRSBA_CTRL, BHI_CTRL, no BHI_NO */
		p = &plan.host[h];
		assert_int_equal(p->forced[0].mask, 0);
		assert_int_equal(p->forced[MITI_CTRL_RETPOLINE_S_USED].mask, SPEC_CTRL_RRSBA_DIS_S);
		assert_int_equal(p->forced[MITI_CTRL_RETPOLINE_S_USED].value, SPEC_CTRL_RRSBA_DIS_S);
		assert_int_equal(p->forced[MITI_CTRL_BHB_CLEAR_SEQ_S_USED].mask, SPEC_CTRL_BHI_DIS_S);
		assert_int_equal(p->forced[3].mask, SPEC_CTRL_BHI_DIS_S | SPEC_CTRL_RRSBA_DIS_S);
		assert_true(p->forced[3].nreasons >= 2);
	}
	{
		struct pool_host_plan hp_;

		load_hosts(names + 3, 1);
		pool_plan_host(&hosts[0], &hp_);
		for (unsigned int i = 0; i < POOL_NREPORTS; i++)
			assert_int_equal(hp_.forced[i].mask, 0);
	}
	/* A host with BHI_NO: no BHI_DIS_S. */
	load_hosts(names + 2, 1);
	hosts[0].arch_cap |= ARCH_CAP_BHI_NO;
	{
		struct pool_host_plan hp_;

		pool_plan_host(&hosts[0], &hp_);
		assert_int_equal(hp_.forced[3].mask, SPEC_CTRL_RRSBA_DIS_S);
		assert_non_null(strstr(hp_.why_bhi, "BHI_NO"));
	}
}

static const struct pool_reason *find_reason(enum pool_reason_kind k, uint32_t fn, uint32_t idx,
					     enum cpuid_reg reg, unsigned int bit)
{
	for (unsigned int i = 0; i < why.n; i++) {
		const struct pool_reason *r = &why.r[i];

		if (r->kind == k && r->bit == bit && (k != POOL_R_CPUID ||
		    (r->function == fn && r->index == idx && r->reg == reg)))
			return r;
	}
	return NULL;
}

static void test_check_reasons(void **state)
{
	static const char *const names[] = { "cascadelake" };
	const struct pool_reason *r;
	unsigned int n_cpuid = 0;

	load_hosts(names, 1);
	assert_int_equal(model_load("sapphirerapids", &m), 0);
	{
		int rc = pool_check(&m, &hosts[0], &why);

		assert_int_equal(rc, (int)why.n);
		assert_true(rc > 0);
	}
	/* IBT: named, both register values. */
	r = find_reason(POOL_R_CPUID, 7, 0, CPUID_EDX, 20);
	assert_non_null(r);
	assert_string_equal(r->text, "cpuid 0x7.0 edx[20] IBT: model 1, host 0 (model edx 0xbc914410, host edx "
			    "0xbc000400): the host's KVM does not offer it");
	assert_int_equal(r->model_value, 0xbc914410);
	assert_int_equal(r->host_value, 0xbc000400);
	/* 7.2 absent on the host: every bit the model sets. */
	assert_non_null(find_reason(POOL_R_CPUID, 7, 2, CPUID_EDX, 4));
	assert_non_null(strstr(find_reason(POOL_R_CPUID, 7, 2, CPUID_EDX, 4)->text, "has no leaf 0x7.2"));
	assert_non_null(find_reason(POOL_R_CPUID, 7, 0, CPUID_ECX, 7));		/* SHSTK */
	assert_non_null(find_reason(POOL_R_CPUID, 7, 0, CPUID_ECX, 1));		/* AVX512_VBMI (ISA) */
	/* ARCH_CAPABILITIES: *_NO the model claims and CLX lacks. */
	r = find_reason(POOL_R_ARCH_CAP, 0, 0, CPUID_EAX, 14);
	assert_non_null(r);
	assert_non_null(strstr(r->text, "FBSDP_NO: model 1, host 0"));
	assert_non_null(strstr(r->text, "skip a mitigation"));
	assert_non_null(find_reason(POOL_R_ARCH_CAP, 0, 0, CPUID_EAX, 62));	/* ITS_NO */
	/* Behaviour bit CLX has and SPR's model lacks. */
	r = find_reason(POOL_R_ARCH_CAP, 0, 0, CPUID_EAX, 17);
	assert_non_null(r);
	assert_non_null(strstr(r->text, "FB_CLEAR: model 0, host 1"));
	assert_null(find_reason(POOL_R_ARCH_CAP, 0, 0, CPUID_EAX, 19));	/* RRSBA: both have it */
	assert_null(find_reason(POOL_R_VENDOR, 0, 0, CPUID_EAX, 0));
	/* Exhaustive: one reason per missing CPUID bit. */
	for (unsigned int i = 0; i < m.cpuid.nent; i++) {
		const struct cpuid_entry *me = &m.cpuid.ent[i];

		for (int ri = 0; ri < 4; ri++) {
			enum cpuid_reg reg = (enum cpuid_reg)ri;
			uint32_t miss;

			if (cpuid_reg_kind(me->function, me->index, reg) != REG_FEATURE)
				continue;
			miss = cpuid_entry_reg_get(me, reg) & ~cpuid_reg(&hosts[0].cpuid, me->function, me->index, reg) &
			       ~cpuid_dynamic_bits(me->function, me->index, reg);
			n_cpuid += (unsigned int)__builtin_popcount(miss);
		}
	}
	{
		unsigned int got = 0;

		for (unsigned int i = 0; i < why.n; i++)
			got += why.r[i].kind == POOL_R_CPUID;
		assert_int_equal(got, n_cpuid);
	}
	/* Its own host: compatible; the reasons struct is cleared. */
	load_hosts((const char *const[]){ "sapphirerapids" }, 1);
	assert_int_equal(pool_check(&m, &hosts[0], &why), 0);
	assert_int_equal(why.n, 0);
}

static void test_check_other_kinds(void **state)
{
	struct host_cpuid_change u = { .function = 7, .index = 0, .reg = CPUID_EDX, .bit = 26, .wanted = 1, .got = 0 };
	const struct pool_reason *r;

	load_hosts((const char *const[]){ "sapphirerapids" }, 1);
	assert_int_equal(model_load("sapphirerapids", &m), 0);
	/* Unpresentable bits the model wants. */
	hosts[0].unpresentable[hosts[0].nunpresentable++] = u;
	u.bit = 30;	/* CORE_CAPABILITIES: the model does not want it set -> no reason */
	hosts[0].unpresentable[hosts[0].nunpresentable++] = u;
	/* Address sizes. */
	cpuid_find_mut(&hosts[0].cpuid, 0x80000008, 0)->eax = 0x00003027;
	/* A behaviour bit only the host has, and a bit the model may not carry. */
	hosts[0].arch_cap |= ARCH_CAP_RSBA;
	m.arch_cap |= 1ull << 12;	/* DOITM */
	assert_int_equal(pool_check(&m, &hosts[0], &why), 4);
	r = find_reason(POOL_R_UNPRESENTABLE, 7, 0, CPUID_EDX, 26);
	assert_non_null(r);
	assert_string_equal(r->text, "cpuid 0x7.0 edx[26] SPEC_CTRL: model 1, but the host's KVM presents 0 "
			    "whatever it is asked");
	r = find_reason(POOL_R_CPUID_VALUE, 0, 0, CPUID_EAX, 0);
	assert_non_null(r);
	assert_non_null(strstr(r->text, "physical address bits: model 46, host 39"));
	assert_non_null(strstr(find_reason(POOL_R_ARCH_CAP, 0, 0, CPUID_EAX, 2)->text, "RSBA: model 0, host 1"));
	assert_non_null(strstr(find_reason(POOL_R_ARCH_CAP, 0, 0, CPUID_EAX, 12)->text, "DOITM: model 1"));
	/* Vendor. */
	load_hosts((const char *const[]){ "zen4" }, 1);
	assert_true(pool_check(&m, &hosts[0], &why) > 0);
	r = &why.r[0];
	assert_int_equal(r->kind, POOL_R_VENDOR);
	assert_string_equal(r->text, "vendor: model GenuineIntel, host AuthenticAMD");
	/* AMD models do not enumerate ARCH_CAPABILITIES: no MSR rules apply. */
	assert_int_equal(model_load("zen4", &m), 0);
	hosts[0].arch_cap = ARCH_CAP_RSBA;
	assert_int_equal(pool_check(&m, &hosts[0], &why), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_baselines),
		cmocka_unit_test(test_golden_refusals),
		cmocka_unit_test(test_cpuid_rules),
		cmocka_unit_test(test_address_and_dynamic),
		cmocka_unit_test(test_arch_cap_rules),
		cmocka_unit_test(test_vendor_and_args),
		cmocka_unit_test(test_unpresentable_in_baseline),
		cmocka_unit_test(test_every_pool_runs_everywhere),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_check_reasons),
		cmocka_unit_test(test_check_other_kinds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
