/* SPDX-License-Identifier: MIT */
/*
 * Host profiles as JSON ("specvisor-host-profile-1", docs/models.md): what one
 * host's KVM offers.  Written by `host probe`, or by hand (data/hosts/).
 */

#include <errno.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/host_json.h"
#include "cpu/json_priv.h"
#include "msr/msr_index.h"
#include "util/err.h"

static const struct {
	const char *name;
	size_t off;
} cap_fields[] = {
	{ "msr_filter", offsetof(struct host_caps, msr_filter) },
	{ "user_space_msr", offsetof(struct host_caps, user_space_msr) },
	{ "bus_lock_exit", offsetof(struct host_caps, bus_lock_exit) },
	{ "spec_ctrl_loadable", offsetof(struct host_caps, spec_ctrl_loadable) },
	{ "cet_loadable", offsetof(struct host_caps, cet_loadable) },
	{ "arch_cap_settable", offsetof(struct host_caps, arch_cap_settable) },
};
#define NCAPS (sizeof(cap_fields) / sizeof(cap_fields[0]))

static int parse_caps(const struct jctx *c, json_t *obj, struct host_caps *caps)
{
	const char *keys[NCAPS + 1];

	if (!json_is_object(obj))
		return jerr(c, "caps", "want an object of booleans");
	for (unsigned int i = 0; i < NCAPS; i++)
		keys[i] = cap_fields[i].name;
	keys[NCAPS] = NULL;
	int rc = jcheck_keys(c, "caps", obj, keys);

	if (rc)
		return rc;
	/* A missing capability means "not there", so older probes stay readable. */
	for (unsigned int i = 0; i < NCAPS; i++) {
		json_t *v = json_object_get(obj, cap_fields[i].name);
		char p[64];

		if (!v)
			continue;
		snprintf(p, sizeof(p), "caps.%s", cap_fields[i].name);
		if (!json_is_boolean(v))
			return jerr(c, p, "want true or false");
		*(bool *)((char *)caps + cap_fields[i].off) = json_is_true(v);
	}
	return 0;
}

static int parse_msrs(const struct jctx *c, json_t *obj, struct host_profile *hp)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return jerr(c, "feature_msrs", "want an object {\"0x10a\": \"0x...\"}");
	hp->nmsrs = 0;
	json_object_foreach(obj, key, v) {
		char p[96];
		json_t *k = json_string(key);
		uint64_t idx, val;
		int rc;

		snprintf(p, sizeof(p), "feature_msrs.%.63s", key);
		if (hp->nmsrs >= HOST_MAX_FEATURE_MSRS) {
			json_decref(k);
			return jerr(c, "feature_msrs", "too many entries (max %d)", HOST_MAX_FEATURE_MSRS);
		}
		rc = k ? jget_uint(c, p, k, 32, &idx) : jerr(c, p, "bad key");
		json_decref(k);
		if (!rc)
			rc = jget_uint(c, p, v, 64, &val);
		if (rc)
			return rc;
		for (unsigned int i = 0; i < hp->nmsrs; i++)
			if (hp->msrs[i].index == idx)
				return jerr(c, p, "MSR 0x%" PRIx64 " given twice", idx);
		hp->msrs[hp->nmsrs].index = (uint32_t)idx;
		hp->msrs[hp->nmsrs].value = val;
		hp->nmsrs++;
	}
	return 0;
}

static int parse_unpresentable(const struct jctx *c, json_t *arr, struct host_profile *hp)
{
	static const char *const keys[] = { "leaf", "subleaf", "reg", "bit", "name", "wanted", "got", NULL };
	size_t i;
	json_t *e;

	if (!json_is_array(arr))
		return jerr(c, "unpresentable", "want an array");
	if (json_array_size(arr) > HOST_MAX_UNPRESENTABLE)
		return jerr(c, "unpresentable", "%zu entries, max %d", json_array_size(arr), HOST_MAX_UNPRESENTABLE);
	hp->nunpresentable = 0;
	json_array_foreach(arr, i, e) {
		struct host_cpuid_change *u = &hp->unpresentable[hp->nunpresentable];
		char p[64], q[96], reg[8], name[32];
		uint64_t x;
		json_t *v;
		int rc;

		snprintf(p, sizeof(p), "unpresentable[%zu]", i);
		if (!json_is_object(e))
			return jerr(c, p, "want an object {leaf, subleaf, reg, bit, name, wanted, got}");
		if ((rc = jcheck_keys(c, p, e, keys)))
			return rc;
		if ((rc = jmember(c, p, e, "leaf", &v)))
			return rc;
		snprintf(q, sizeof(q), "%s.leaf", p);
		if ((rc = jget_u32(c, q, v, &u->function)))
			return rc;
		u->index = 0;
		v = json_object_get(e, "subleaf");
		snprintf(q, sizeof(q), "%s.subleaf", p);
		if (v && (rc = jget_u32(c, q, v, &u->index)))
			return rc;
		if ((rc = jmember(c, p, e, "reg", &v)))
			return rc;
		snprintf(q, sizeof(q), "%s.reg", p);
		if ((rc = jget_str(c, q, v, reg, sizeof(reg))))
			return rc;
		err_clear();
		if (cpuid_reg_parse(reg, &u->reg))
			return jerr(c, q, "\"%s\" (want eax, ebx, ecx or edx)", reg);
		if ((rc = jmember(c, p, e, "bit", &v)))
			return rc;
		snprintf(q, sizeof(q), "%s.bit", p);
		if (!json_is_integer(v))
			return jerr(c, q, "want a bit number 0..31");
		if ((rc = jget_uint(c, q, v, 5, &x)))
			return rc;
		u->bit = (uint8_t)x;
		v = json_object_get(e, "name");
		if (v) {
			const char *known = cpuid_bit_name(u->function, u->index, u->reg, u->bit);

			snprintf(q, sizeof(q), "%s.name", p);
			if ((rc = jget_str(c, q, v, name, sizeof(name))))
				return rc;
			if (known && strcmp(known, name))
				return jerr(c, q, "\"%s\" but that bit is %s", name, known);
		}
		if ((rc = jmember(c, p, e, "wanted", &v)))
			return rc;
		snprintf(q, sizeof(q), "%s.wanted", p);
		if (!json_is_integer(v) || (rc = jget_uint(c, q, v, 1, &x)))
			return rc ? rc : jerr(c, q, "want 0 or 1");
		u->wanted = (uint8_t)x;
		if ((rc = jmember(c, p, e, "got", &v)))
			return rc;
		snprintf(q, sizeof(q), "%s.got", p);
		if (!json_is_integer(v) || (rc = jget_uint(c, q, v, 1, &x)))
			return rc ? rc : jerr(c, q, "want 0 or 1");
		u->got = (uint8_t)x;
		hp->nunpresentable++;
	}
	return 0;
}

int host_profile_parse_json(const char *text, size_t len, const char *origin, struct host_profile *hp)
{
	static const char *const keys[] = {
		"format", "name", "kernel", "microcode", "vendor", "cpuid", "feature_msrs",
		"arch_capabilities", "caps", "unpresentable", "sources", NULL
	};
	struct jctx c = { .origin = origin ? origin : "<host profile>" };
	char buf[64];
	json_t *root, *v;
	int rc;

	memset(hp, 0, sizeof(*hp));
	rc = jload(&c, text, len, &root);
	if (rc)
		return rc;
	if ((rc = jcheck_keys(&c, "top level", root, keys)))
		goto out;
	if ((rc = jmember(&c, "top level", root, "format", &v)) || (rc = jget_str(&c, "format", v, buf, sizeof(buf))))
		goto out;
	if (strcmp(buf, HOST_PROFILE_FORMAT)) {
		rc = jerr(&c, "format", "\"%s\" is not \"%s\"", buf, HOST_PROFILE_FORMAT);
		goto out;
	}
	if ((rc = jmember(&c, "top level", root, "name", &v)) || (rc = jget_str(&c, "name", v, hp->name, sizeof(hp->name))))
		goto out;
	if (!hp->name[0]) {
		rc = jerr(&c, "name", "empty");
		goto out;
	}
	if ((rc = jmember(&c, "top level", root, "kernel", &v)) ||
	    (rc = jget_str(&c, "kernel", v, hp->kernel, sizeof(hp->kernel))))
		goto out;
	if ((rc = jmember(&c, "top level", root, "microcode", &v)))
		goto out;
	if (!json_is_null(v)) {
		if ((rc = jget_uint(&c, "microcode", v, 64, &hp->microcode)))
			goto out;
		hp->microcode_known = true;
	}
	if ((rc = jmember(&c, "top level", root, "vendor", &v)) || (rc = jget_str(&c, "vendor", v, buf, sizeof(buf))))
		goto out;
	hp->vendor = cpu_vendor_parse(buf);
	if (hp->vendor == VENDOR_UNKNOWN) {
		rc = jerr(&c, "vendor", "\"%s\" (want GenuineIntel or AuthenticAMD)", buf);
		goto out;
	}
	if ((rc = jmember(&c, "top level", root, "cpuid", &v)) || (rc = jparse_cpuid(&c, "cpuid", v, &hp->cpuid)))
		goto out;
	{
		const struct cpuid_entry *e0 = cpuid_find(&hp->cpuid, 0, 0);

		if (!e0) {
			rc = jerr(&c, "cpuid", "leaf 0x0 missing");
			goto out;
		}
		if (cpuid_vendor(&hp->cpuid) != hp->vendor) {
			rc = jerr(&c, "cpuid", "leaf 0x0 does not spell vendor %s", cpu_vendor_name(hp->vendor));
			goto out;
		}
	}
	if ((rc = jmember(&c, "top level", root, "feature_msrs", &v)) || (rc = parse_msrs(&c, v, hp)))
		goto out;
	if ((rc = jmember(&c, "top level", root, "arch_capabilities", &v)) ||
	    (rc = jget_uint(&c, "arch_capabilities", v, 64, &hp->arch_cap)))
		goto out;
	for (unsigned int i = 0; i < hp->nmsrs; i++) {
		if (hp->msrs[i].index == MSR_IA32_ARCH_CAPABILITIES && hp->msrs[i].value != hp->arch_cap) {
			rc = jerr(&c, "arch_capabilities", "0x%" PRIx64 " differs from feature_msrs.0x10a 0x%" PRIx64,
				  hp->arch_cap, hp->msrs[i].value);
			goto out;
		}
	}
	if ((rc = jmember(&c, "top level", root, "caps", &v)) || (rc = parse_caps(&c, v, &hp->caps)))
		goto out;
	if ((rc = jmember(&c, "top level", root, "unpresentable", &v)) || (rc = parse_unpresentable(&c, v, hp)))
		goto out;
	v = json_object_get(root, "sources");
	if (v)
		rc = jparse_sources(&c, "sources", v, hp->sources, HOST_MAX_SOURCES, &hp->nsources, &hp->cpuid);
out:
	json_decref(root);
	return rc;
}

int host_profile_load(const char *path, struct host_profile *hp)
{
	char *text;
	size_t len;
	int rc = jread_file(path, &text, &len);

	if (rc)
		return rc;
	rc = host_profile_parse_json(text, len, path, hp);
	free(text);
	return rc;
}

int host_profile_write_json(const struct host_profile *hp, FILE *f)
{
	fputs("{\n  \"format\": ", f);
	jw_str(f, HOST_PROFILE_FORMAT);
	fputs(",\n  \"name\": ", f);
	jw_str(f, hp->name);
	fputs(",\n  \"kernel\": ", f);
	jw_str(f, hp->kernel);
	if (hp->microcode_known)
		fprintf(f, ",\n  \"microcode\": \"0x%" PRIx64 "\"", hp->microcode);
	else
		fputs(",\n  \"microcode\": null", f);
	fprintf(f, ",\n  \"vendor\": \"%s\",\n  \"cpuid\": ", cpu_vendor_name(hp->vendor));
	jw_cpuid(f, &hp->cpuid);
	fputs(",\n  \"feature_msrs\": {", f);
	for (unsigned int i = 0; i < hp->nmsrs; i++)
		fprintf(f, "%s\"0x%" PRIx32 "\": \"0x%" PRIx64 "\"", i ? ", " : "", hp->msrs[i].index,
			hp->msrs[i].value);
	fprintf(f, "},\n  \"arch_capabilities\": \"0x%" PRIx64 "\",\n  \"caps\": {", hp->arch_cap);
	for (unsigned int i = 0; i < NCAPS; i++)
		fprintf(f, "%s\"%s\": %s", i ? ", " : "", cap_fields[i].name,
			*(const bool *)((const char *)&hp->caps + cap_fields[i].off) ? "true" : "false");
	fputs("},\n  \"unpresentable\": [", f);
	for (unsigned int i = 0; i < hp->nunpresentable; i++) {
		const struct host_cpuid_change *u = &hp->unpresentable[i];
		const char *name = cpuid_bit_name(u->function, u->index, u->reg, u->bit);

		fprintf(f, "%s\n    {\"leaf\": \"0x%" PRIx32 "\", \"subleaf\": \"0x%" PRIx32 "\", \"reg\": \"%s\", "
			"\"bit\": %u, ", i ? "," : "", u->function, u->index, cpuid_reg_name(u->reg), u->bit);
		if (name)
			fprintf(f, "\"name\": \"%s\", ", name);
		fprintf(f, "\"wanted\": %u, \"got\": %u}", u->wanted, u->got);
	}
	fputs(hp->nunpresentable ? "\n  ]" : "]", f);
	if (hp->nsources) {
		fputs(",\n  \"sources\": ", f);
		jw_sources(f, hp->sources, hp->nsources);
	}
	fputs("\n}\n", f);
	if (ferror(f))
		return err_set(-EIO, "writing host profile %s: %s", hp->name, strerror(errno));
	return 0;
}
