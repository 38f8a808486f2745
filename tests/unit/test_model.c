/* SPDX-License-Identifier: MIT */
/* CPU model and host profile files: strict parsing with messages naming the
 * file and the field, round trips, signatures, and the built-in data. */
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
#include "msr/msr_index.h"
#include "util/err.h"

static const char base_model[] =
"{\"format\":\"specvisor-cpu-model-1\",\"name\":\"t\",\"description\":\"d\",\"vendor\":\"GenuineIntel\","
"\"family\":6,\"model\":143,\"stepping\":8,\"data\":\"raw\",\"cpuid\":["
"{\"leaf\":\"0x0\",\"subleaf\":\"0x0\",\"eax\":\"0xd\",\"ebx\":\"0x756e6547\",\"ecx\":\"0x6c65746e\",\"edx\":\"0x49656e69\"},"
"{\"leaf\":\"0x1\",\"eax\":\"0x000806f8\",\"ebx\":\"0x800\",\"ecx\":\"0x0\",\"edx\":\"0x0\"},"
"{\"leaf\":\"0x7\",\"subleaf\":\"0x0\",\"eax\":\"0x0\",\"ebx\":\"0x0\",\"ecx\":\"0x0\",\"edx\":\"0x20000000\"},"
"{\"leaf\":\"0xd\",\"subleaf\":\"0x0\",\"eax\":\"0x7\",\"ebx\":\"0x0\",\"ecx\":\"0x0\",\"edx\":\"0x0\"},"
"{\"leaf\":\"0xd\",\"subleaf\":\"0x1\",\"eax\":\"0x0\",\"ebx\":\"0x0\",\"ecx\":\"0x0\",\"edx\":\"0x0\"},"
"{\"leaf\":\"0x80000000\",\"eax\":\"0x80000008\",\"ebx\":\"0x0\",\"ecx\":\"0x0\",\"edx\":\"0x0\"},"
"{\"leaf\":\"0x80000001\",\"eax\":\"0x0\",\"ebx\":\"0x0\",\"ecx\":\"0x0\",\"edx\":\"0x0\"},"
"{\"leaf\":\"0x80000008\",\"eax\":\"0x3027\",\"ebx\":\"0x0\",\"ecx\":\"0x0\",\"edx\":\"0x1\"}],"
"\"arch_capabilities\":\"0x1\",\"sources\":{\"arch_capabilities\":\"test\",\"cpuid.0x7.0.edx\":\"x\"}}";

static struct cpu_model m, m2;
static struct host_profile hp, hp2;

/* base with the first `from` replaced by `to` (asserting it is there). */
static char *subst(const char *base, const char *from, const char *to)
{
	const char *p = strstr(base, from);
	char *out;

	assert_non_null(p);
	out = malloc(strlen(base) + strlen(to) + 1);
	memcpy(out, base, (size_t)(p - base));
	strcpy(out + (p - base), to);
	strcat(out, p + strlen(from));
	return out;
}

static void expect_model_error(const char *from, const char *to, const char *const *want)
{
	char *text = subst(base_model, from, to);
	int rc = model_parse_json(text, strlen(text), "t.json", &m);

	if (rc != -EINVAL)
		fail_msg("%s -> %s: rc %d, message '%s'", from, to, rc, err_msg());
	for (; *want; want++)
		if (!strstr(err_msg(), *want))
			fail_msg("%s -> %s: message '%s' lacks '%s'", from, to, err_msg(), *want);
	if (strchr(err_msg(), '\n'))
		fail_msg("message is not one line: '%s'", err_msg());
	free(text);
}

#define ERR(from, to, ...) expect_model_error(from, to, (const char *const[]){ __VA_ARGS__, NULL })

static void test_base_model_parses(void **state)
{
	assert_int_equal(model_parse_json(base_model, strlen(base_model), "t.json", &m), 0);
	assert_string_equal(m.name, "t");
	assert_int_equal(m.vendor, VENDOR_INTEL);
	assert_int_equal(m.family, 6);
	assert_int_equal(m.model, 0x8f);
	assert_int_equal(m.stepping, 8);
	assert_int_equal(m.arch_cap, 1);
	assert_int_equal(m.cpuid.nent, 8);
	assert_true(m.cpuid.ent[2].flags & CPUID_F_INDEXED);	/* leaf 7 */
	assert_false(m.cpuid.ent[1].flags & CPUID_F_INDEXED);	/* leaf 1 */
	assert_string_equal(model_source(&m, "arch_capabilities"), "test");
	assert_null(model_source(&m, "signature"));
}

static void test_malformed(void **state)
{
	ERR("}]", "}", "t.json:1:", "malformed JSON");
	ERR("\"name\":\"t\",", "\"name\":\"t\",\"name\":\"u\",", "t.json:", "malformed JSON", "duplicate");
	ERR("\"description\":\"d\"", "\"description\":\"a\\u0000b\"", "t.json:", "malformed JSON");
	ERR(base_model, "[]", "t.json: top level: not a JSON object");
}

static void test_unknown_fields(void **state)
{
	ERR("\"data\":\"raw\",", "\"data\":\"raw\",\"colour\":1,", "t.json: top level: unknown field \"colour\"");
	ERR("{\"leaf\":\"0x1\",", "{\"leaf\":\"0x1\",\"foo\":1,", "t.json: cpuid[1]: unknown field \"foo\"");
	ERR("\"sources\":{", "\"sources\":{\"colour\":\"x\",", "t.json: sources.colour: unknown source key");
	ERR("\"cpuid.0x7.0.edx\"", "\"cpuid.0x07.0.edx\"", "t.json: sources.cpuid.0x07.0.edx:",
	    "write it as \"cpuid.0x7.0.edx\"");
	ERR("\"cpuid.0x7.0.edx\"", "\"cpuid.0x7.2.edx\"", "sources.cpuid.0x7.2.edx",
	    "does not define leaf 0x7 subleaf 2");
}

static void test_missing_fields(void **state)
{
	ERR("\"description\":\"d\",", "", "t.json: description: missing required field");
	ERR("\"format\":\"specvisor-cpu-model-1\",", "", "t.json: format: missing required field");
	ERR(",\"sources\":{\"arch_capabilities\":\"test\",\"cpuid.0x7.0.edx\":\"x\"}", "",
	    "t.json: sources: missing required field");
	ERR("\"ecx\":\"0x0\",\"edx\":\"0x1\"", "\"ecx\":\"0x0\"", "t.json: cpuid[7]: missing required field \"edx\"");
	ERR("{\"leaf\":\"0xd\",\"subleaf\":\"0x1\",\"eax\":\"0x0\",\"ebx\":\"0x0\",\"ecx\":\"0x0\",\"edx\":\"0x0\"},", "",
	    "t.json: cpuid: leaf 0xd subleaf 1 missing");
	ERR("{\"leaf\":\"0x1\",", "{", "t.json: cpuid[1]: missing required field \"leaf\"");
}

static void test_out_of_range(void **state)
{
	ERR("\"eax\":\"0x000806f8\"", "\"eax\":\"0x1000806f8\"", "t.json: cpuid[1].eax:", "does not fit in 32 bits");
	ERR("\"leaf\":\"0x80000001\"", "\"leaf\":\"0x180000001\"", "t.json: cpuid[6].leaf:", "32 bits");
	ERR("\"family\":6", "\"family\":300", "t.json: family: 300 out of range");
	ERR("\"model\":143", "\"model\":256", "t.json: model: 256 out of range");
	ERR("\"stepping\":8", "\"stepping\":16", "t.json: stepping: 16 out of range");
	ERR("\"stepping\":8", "\"stepping\":-1", "t.json: stepping: -1 out of range");
	ERR("\"arch_capabilities\":\"0x1\"", "\"arch_capabilities\":\"0x10000000000000001\"",
	    "t.json: arch_capabilities:", "64 bits");
	ERR("\"ebx\":\"0x800\"", "\"ebx\":\"0xZZ\"", "t.json: cpuid[1].ebx:", "not a hex string");
	ERR("\"ebx\":\"0x800\"", "\"ebx\":\"800\"", "t.json: cpuid[1].ebx:", "not a hex string");
	ERR("\"ebx\":\"0x800\"", "\"ebx\":true", "t.json: cpuid[1].ebx:", "hex string");
	ERR("\"vendor\":\"GenuineIntel\"", "\"vendor\":\"CyrixInstead\"", "t.json: vendor:", "CyrixInstead");
	ERR("\"data\":\"raw\"", "\"data\":\"guess\"", "t.json: data:", "raw, kvm or derived");
	ERR("\"name\":\"t\"", "\"name\":\"T x\"", "t.json: name:", "lower-case");
	ERR("\"format\":\"specvisor-cpu-model-1\"", "\"format\":\"specvisor-cpu-model-9\"", "t.json: format:");
	{
		char big[400], buf[420];

		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		snprintf(buf, sizeof(buf), "\"description\":\"%s\"", big);
		ERR("\"description\":\"d\"", buf, "t.json: description: string too long");
	}
}

static void test_semantic_errors(void **state)
{
	ERR("\"model\":143", "\"model\":144", "t.json: cpuid[1].eax: 0x000806f8 does not encode family 6 model 144");
	ERR("\"vendor\":\"GenuineIntel\"", "\"vendor\":\"AuthenticAMD\"", "t.json: cpuid[0]:",
	    "do not spell vendor AuthenticAMD");
	ERR("{\"leaf\":\"0x80000001\",", "{\"leaf\":\"0x1\",", "t.json: cpuid[6]:", "already given in cpuid[1]");
	ERR("\"ebx\":\"0x800\",\"ecx\":\"0x0\"", "\"ebx\":\"0x800\",\"ecx\":\"0x80000000\"", "t.json: cpuid[1].ecx:",
	    "HYPERVISOR");
	ERR("\"edx\":\"0x20000000\"", "\"edx\":\"0x0\"", "t.json: arch_capabilities:", "ARCH_CAPABILITIES is 0");
	ERR("\"arch_capabilities\":\"0x1\"", "\"arch_capabilities\":\"0x8000000000000001\"",
	    "t.json: arch_capabilities:", "VIRTUAL_ENUM");
	ERR("{\"leaf\":\"0x1\",", "{\"leaf\":\"0x1\",\"subleaf\":\"0x2\",", "t.json: cpuid[1].subleaf:",
	    "no subleaves");
	ERR("\"eax\":\"0xd\"", "\"eax\":\"0x1\"", "t.json: cpuid[0].eax:", "max basic leaf");
	ERR("\"eax\":\"0x80000008\"", "\"eax\":\"0x80000001\"", "t.json: cpuid[5].eax:", "max extended leaf");
	ERR("{\"leaf\":\"0x80000008\",", "{\"leaf\":\"0x7\",\"subleaf\":\"0x1\",\"eax\":\"0x0\",\"ebx\":\"0x0\","
	    "\"ecx\":\"0x0\",\"edx\":\"0x0\"},{\"leaf\":\"0x80000008\",", "t.json: cpuid[2].eax:", "subleaf 1");
}

static void test_indexed_override(void **state)
{
	char *t = subst(base_model, "{\"leaf\":\"0x1\",", "{\"leaf\":\"0x1\",\"indexed\":true,\"subleaf\":\"0x0\",");

	assert_int_equal(model_parse_json(t, strlen(t), "t.json", &m), 0);
	assert_true(m.cpuid.ent[1].flags & CPUID_F_INDEXED);
	free(t);
	ERR("{\"leaf\":\"0x1\",", "{\"leaf\":\"0x1\",\"indexed\":1,", "t.json: cpuid[1].indexed:", "true or false");
}

static void test_signature(void **state)
{
	static const struct { uint32_t eax, f, m, s; } cases[] = {
		{ 0x00050654, 6, 0x55, 4 }, { 0x000806f8, 6, 0x8f, 8 }, { 0x000a06d1, 6, 0xad, 1 },
		{ 0x00830f10, 0x17, 0x31, 0 }, { 0x00a10f11, 0x19, 0x11, 1 }, { 0x00b00f21, 0x1a, 2, 1 },
		{ 0x00000f00, 0xf, 0, 0 }, { 0x00000543, 5, 4, 3 }, { 0x0ff00f00, 0x10e, 0, 0 },
	};
	uint32_t f, mo, s, eax;

	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cpu_signature_decode(cases[i].eax, &f, &mo, &s);
		assert_int_equal(f, cases[i].f);
		assert_int_equal(mo, cases[i].m);
		assert_int_equal(s, cases[i].s);
		assert_int_equal(cpu_signature_encode(f, mo, s, &eax), 0);
		assert_int_equal(eax, cases[i].eax);
	}
	assert_int_equal(cpu_signature_encode(0x10f, 0, 0, &eax), -EINVAL);
	assert_int_equal(cpu_signature_encode(5, 0x10, 0, &eax), -EINVAL);	/* no extended model */
	assert_int_equal(cpu_signature_encode(6, 0x100, 0, &eax), -EINVAL);
	assert_int_equal(cpu_signature_encode(6, 0, 16, &eax), -EINVAL);
}

static void test_vendor_helpers(void **state)
{
	uint32_t b, c, d;

	assert_string_equal(cpu_vendor_name(VENDOR_INTEL), "GenuineIntel");
	assert_string_equal(cpu_vendor_name(VENDOR_AMD), "AuthenticAMD");
	assert_int_equal(cpu_vendor_parse("AuthenticAMD"), VENDOR_AMD);
	assert_int_equal(cpu_vendor_parse("genuineintel"), VENDOR_UNKNOWN);
	assert_true(cpu_vendor_regs(VENDOR_INTEL, &b, &c, &d));
	assert_memory_equal(&b, "Genu", 4);
	assert_memory_equal(&d, "ineI", 4);
	assert_memory_equal(&c, "ntel", 4);
	assert_false(cpu_vendor_regs(VENDOR_UNKNOWN, &b, &c, &d));
	assert_int_equal(model_parse_json(base_model, strlen(base_model), "t.json", &m), 0);
	assert_int_equal(cpuid_vendor(&m.cpuid), VENDOR_INTEL);
}

static char *write_model(const struct cpu_model *x, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(model_write_json(x, f), 0);
	fclose(f);
	return buf;
}

static char *write_host(const struct host_profile *x, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	assert_non_null(f);
	assert_int_equal(host_profile_write_json(x, f), 0);
	fclose(f);
	return buf;
}

/* Every built-in model: loads by name, writes back byte-identical to its file
 * (the files are canonical) and re-parses to the same value. */
static void test_builtin_round_trip(void **state)
{
	static char names[MODEL_MAX_BUILTIN][MODEL_NAME_LEN];
	int n = model_list(names, MODEL_MAX_BUILTIN);

	assert_true(n >= 11);
	for (int i = 0; i < n; i++) {
		char path[128], *text, *out;
		size_t len, olen;

		if (model_load(names[i], &m))
			fail_msg("%s: %s", names[i], err_msg());
		assert_string_equal(m.name, names[i]);
		snprintf(path, sizeof(path), "data/models/%.63s.json", names[i]);
		assert_int_equal(jread_file(path, &text, &len), 0);
		out = write_model(&m, &olen);
		if (olen != len || memcmp(out, text, len))
			fail_msg("%s is not in canonical form (model_write_json differs)", path);
		assert_int_equal(model_parse_json(out, olen, path, &m2), 0);
		assert_memory_equal(&m, &m2, sizeof(m));
		free(text);
		free(out);
	}
}

static void test_builtin_data(void **state)
{
	static const char *const want[] = {
		"skylake-server", "cascadelake-server", "icelake-server", "sapphirerapids", "emeraldrapids",
		"graniterapids", "alderlake", "zen2", "zen3", "zen4", "zen5",
	};

	for (unsigned int i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *s;

		if (model_load(want[i], &m))
			fail_msg("%s: %s", want[i], err_msg());
		/* Every security register the model defines says where it comes from. */
		for (unsigned int e = 0; e < m.cpuid.nent; e++) {
			for (int r = CPUID_EAX; r <= CPUID_EDX; r++) {
				char key[64];

				if (!cpuid_security_bits(m.cpuid.ent[e].function, m.cpuid.ent[e].index, (enum cpuid_reg)r))
					continue;
				cpuid_source_key(key, sizeof(key), m.cpuid.ent[e].function, m.cpuid.ent[e].index,
						 (enum cpuid_reg)r);
				if (!model_source(&m, key))
					fail_msg("%s: no source for %s", want[i], key);
			}
		}
		s = model_source(&m, "signature");
		assert_non_null(s);
		assert_true(strstr(s, "RAW") || strstr(s, "KVM") || strstr(s, "DERIVED"));
		s = model_source(&m, "arch_capabilities");
		assert_non_null(s);
		assert_non_null(model_source(&m, "isa"));
		if (m.vendor == VENDOR_AMD) {
			/* ARCH_CAPABILITIES is opt-in on AMD (prior-art §9.5). */
			assert_false(cpuid_has(&m.cpuid, F_ARCH_CAPABILITIES));
			assert_int_equal(m.arch_cap, 0);
		} else {
			assert_true(strstr(s, "RAW") || strstr(s, "KVM") || strstr(s, "DERIVED"));
			assert_true(cpuid_has(&m.cpuid, F_ARCH_CAPABILITIES));
			/* Only bits a guest can be given. */
			assert_int_equal(m.arch_cap & ~(arch_cap_class_mask(ACAP_AND) | arch_cap_class_mask(ACAP_OR)), 0);
			assert_false(cpuid_has(&m.cpuid, F_RTM));
		}
		assert_false(cpuid_has(&m.cpuid, F_HYPERVISOR));
		/* CET parts carry the CET XSAVE sub-leaves (CSC §4.1). */
		if (cpuid_has(&m.cpuid, F_SHSTK) || cpuid_has(&m.cpuid, F_IBT)) {
			assert_int_equal(cpuid_reg(&m.cpuid, 0xd, 11, CPUID_EAX), 16);
			assert_int_equal(cpuid_reg(&m.cpuid, 0xd, 12, CPUID_EAX), 24);
			assert_int_equal(cpuid_reg(&m.cpuid, 0xd, 1, CPUID_ECX) & 0x1800, 0x1800);
		}
	}
	/* Spot checks against cpu-generations.md. */
	assert_int_equal(model_load("sapphirerapids", &m), 0);
	assert_int_equal(cpuid_reg(&m.cpuid, 7, 2, CPUID_EDX), 0x17);
	assert_int_equal(m.arch_cap, 0x400000000c08e0ebull);
	assert_int_equal(model_load("graniterapids", &m), 0);
	assert_int_equal(cpuid_reg(&m.cpuid, 7, 2, CPUID_EDX), 0x3f);
	assert_true(m.arch_cap & ARCH_CAP_PBRSB_NO);
	assert_int_equal(model_load("cascadelake-server", &m), 0);
	assert_null(cpuid_find(&m.cpuid, 7, 2));
	assert_true(m.arch_cap & ARCH_CAP_FB_CLEAR);
	assert_int_equal(model_load("zen4", &m), 0);
	assert_true(cpuid_has(&m.cpuid, F_AMD_IBPB_RET));
	assert_true(cpuid_has(&m.cpuid, F_AMD_AUTO_IBRS));
	assert_int_equal(model_load("zen3", &m), 0);
	assert_false(cpuid_has(&m.cpuid, F_SPEC_CTRL));	/* KVM 6.18 on Milan: no IBPB_RET */
}

static void test_model_load_errors(void **state)
{
	assert_int_equal(model_load("no-such-model", &m), -ENOENT);
	assert_non_null(strstr(err_msg(), "unknown CPU model \"no-such-model\""));
	assert_non_null(strstr(err_msg(), "sapphirerapids"));
	assert_non_null(strstr(err_msg(), "zen4"));
	assert_int_equal(model_load("Bad Name", &m), -EINVAL);
	assert_true(model_load("/nonexistent/x.json", &m) < 0);
	assert_non_null(strstr(err_msg(), "/nonexistent/x.json"));
	/* A path is a path: relative file names work too. */
	assert_int_equal(model_load("data/models/zen3.json", &m), 0);
	assert_string_equal(m.name, "zen3");
}

static void test_model_search_env(void **state)
{
	char dirs[4][4096];
	int n;

	setenv("SPECVISOR_DATA", "/tmp/sv-test-nowhere", 1);
	n = model_search_dirs(dirs, 4);
	assert_int_equal(n, 4);
	assert_string_equal(dirs[0], "/tmp/sv-test-nowhere/models");
	assert_non_null(strstr(dirs[2], "/../../data/models"));
	assert_int_equal(model_load("zen4", &m), 0);	/* falls through to the build tree */
	unsetenv("SPECVISOR_DATA");
}

/* ---- host profiles ------------------------------------------------------- */

static const char *const host_names[] = {
	"skylake", "cascadelake", "icelake", "sapphirerapids", "emeraldrapids", "graniterapids",
	"alderlake", "zen2", "zen3", "zen4", "zen5",
};

static void test_host_files(void **state)
{
	for (unsigned int i = 0; i < sizeof(host_names) / sizeof(host_names[0]); i++) {
		char path[128], *text, *out;
		size_t len, olen;

		snprintf(path, sizeof(path), "data/hosts/%s.json", host_names[i]);
		if (host_profile_load(path, &hp))
			fail_msg("%s: %s", path, err_msg());
		assert_string_equal(hp.name, host_names[i]);
		assert_non_null(strstr(path, hp.name));
		assert_true(hp.nsources > 0);
		assert_int_equal(jread_file(path, &text, &len), 0);
		out = write_host(&hp, &olen);
		if (olen != len || memcmp(out, text, len))
			fail_msg("%s is not in canonical form", path);
		assert_int_equal(host_profile_parse_json(out, olen, path, &hp2), 0);
		assert_memory_equal(&hp, &hp2, sizeof(hp));
		free(text);
		free(out);
	}
}

static const char base_host[] =
"{\"format\":\"specvisor-host-profile-1\",\"name\":\"h\",\"kernel\":\"6.1\",\"microcode\":\"0x10\","
"\"vendor\":\"AuthenticAMD\",\"cpuid\":["
"{\"leaf\":\"0x0\",\"eax\":\"0x10\",\"ebx\":\"0x68747541\",\"ecx\":\"0x444d4163\",\"edx\":\"0x69746e65\"},"
"{\"leaf\":\"0x7\",\"subleaf\":\"0x0\",\"eax\":\"0x0\",\"ebx\":\"0x0\",\"ecx\":\"0x0\",\"edx\":\"0x20000000\"}],"
"\"feature_msrs\":{\"0x10a\":\"0x69\",\"0x345\":\"0x0\"},\"arch_capabilities\":\"0x69\","
"\"caps\":{\"msr_filter\":true,\"bus_lock_exit\":false},"
"\"unpresentable\":[{\"leaf\":\"0x7\",\"subleaf\":\"0x0\",\"reg\":\"edx\",\"bit\":26,\"name\":\"SPEC_CTRL\","
"\"wanted\":1,\"got\":0}]}";

static void expect_host_error(const char *from, const char *to, const char *want)
{
	char *text = subst(base_host, from, to);
	int rc = host_profile_parse_json(text, strlen(text), "h.json", &hp);

	if (rc != -EINVAL || !strstr(err_msg(), want))
		fail_msg("%s -> %s: rc %d, message '%s' (want '%s')", from, to, rc, err_msg(), want);
	free(text);
}

static void test_host_parse(void **state)
{
	char *out;
	size_t len;

	assert_int_equal(host_profile_parse_json(base_host, strlen(base_host), "h.json", &hp), 0);
	assert_int_equal(hp.vendor, VENDOR_AMD);
	assert_true(hp.microcode_known);
	assert_int_equal(hp.microcode, 0x10);
	assert_int_equal(hp.nmsrs, 2);
	assert_int_equal(hp.arch_cap, 0x69);
	assert_true(hp.caps.msr_filter);
	assert_false(hp.caps.user_space_msr);
	assert_int_equal(hp.nunpresentable, 1);
	assert_int_equal(hp.unpresentable[0].reg, CPUID_EDX);
	assert_int_equal(hp.unpresentable[0].bit, 26);
	assert_int_equal(hp.unpresentable[0].wanted, 1);
	out = write_host(&hp, &len);
	assert_int_equal(host_profile_parse_json(out, len, "h.json", &hp2), 0);
	assert_memory_equal(&hp, &hp2, sizeof(hp));
	assert_non_null(strstr(out, "\"name\": \"SPEC_CTRL\""));
	free(out);
	out = subst(base_host, "\"microcode\":\"0x10\"", "\"microcode\":null");
	assert_int_equal(host_profile_parse_json(out, strlen(out), "h.json", &hp), 0);
	assert_false(hp.microcode_known);
	free(out);
}

static void test_host_errors(void **state)
{
	expect_host_error("\"format\":\"specvisor-host-profile-1\"", "\"format\":\"x\"", "h.json: format:");
	expect_host_error("\"kernel\":\"6.1\",", "", "h.json: kernel: missing required field");
	expect_host_error("\"microcode\":\"0x10\"", "\"microcode\":\"10\"", "h.json: microcode:");
	expect_host_error("\"vendor\":\"AuthenticAMD\"", "\"vendor\":\"GenuineIntel\"",
			  "h.json: cpuid: leaf 0x0 does not spell vendor GenuineIntel");
	expect_host_error("\"arch_capabilities\":\"0x69\"", "\"arch_capabilities\":\"0x6b\"",
			  "h.json: arch_capabilities: 0x6b differs from feature_msrs.0x10a 0x69");
	expect_host_error("\"0x345\"", "\"0x1000000000\"", "h.json: feature_msrs.0x1000000000:");
	expect_host_error("\"msr_filter\":true", "\"msr_fliter\":true", "h.json: caps: unknown field \"msr_fliter\"");
	expect_host_error("\"msr_filter\":true", "\"msr_filter\":1", "h.json: caps.msr_filter: want true or false");
	expect_host_error("\"reg\":\"edx\"", "\"reg\":\"rdx\"", "h.json: unpresentable[0].reg:");
	expect_host_error("\"bit\":26", "\"bit\":32", "h.json: unpresentable[0].bit:");
	expect_host_error("\"name\":\"SPEC_CTRL\"", "\"name\":\"STIBP\"", "but that bit is SPEC_CTRL");
	expect_host_error("\"wanted\":1", "\"wanted\":2", "h.json: unpresentable[0].wanted:");
	expect_host_error(",\"got\":0}", "}", "h.json: unpresentable[0]: missing required field \"got\"");
	expect_host_error("\"caps\"", "\"sources\":{\"bogus\":\"x\"},\"caps\"", "h.json: sources.bogus:");
	expect_host_error("{\"leaf\":\"0x0\",", "{\"leaf\":\"0x1\",", "h.json: cpuid: leaf 0x0 missing");
	expect_host_error("\"name\":\"h\"", "\"name\":\"\"", "h.json: name: empty");
	expect_host_error("\"unpresentable\"", "\"extra\":0,\"unpresentable\"", "h.json: top level: unknown field");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_model_parses),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_unknown_fields),
		cmocka_unit_test(test_missing_fields),
		cmocka_unit_test(test_out_of_range),
		cmocka_unit_test(test_semantic_errors),
		cmocka_unit_test(test_indexed_override),
		cmocka_unit_test(test_signature),
		cmocka_unit_test(test_vendor_helpers),
		cmocka_unit_test(test_builtin_round_trip),
		cmocka_unit_test(test_builtin_data),
		cmocka_unit_test(test_model_load_errors),
		cmocka_unit_test(test_model_search_env),
		cmocka_unit_test(test_host_files),
		cmocka_unit_test(test_host_parse),
		cmocka_unit_test(test_host_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
