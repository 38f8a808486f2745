/* SPDX-License-Identifier: MIT */
/*
 * CPU model value type: vendors, signatures, how each CPUID register is
 * combined, the IA32_ARCH_CAPABILITIES bit table and model sources.
 * References: shared/reference/cpu-generations.md (CG), cpu-security-controls.md (CSC).
 */
#include "cpu/model.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msr/msr_index.h"
#include "util/err.h"

/* Leaf 0 EBX, ECX, EDX (CG §2: vendor strings). */
static const struct {
	enum cpu_vendor v;
	const char *name;
	uint32_t ebx, ecx, edx;
} vendors[] = {
	{ VENDOR_INTEL, "GenuineIntel", 0x756e6547, 0x6c65746e, 0x49656e69 },
	{ VENDOR_AMD, "AuthenticAMD", 0x68747541, 0x444d4163, 0x69746e65 },
};

const char *cpu_vendor_name(enum cpu_vendor v)
{
	for (unsigned int i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (vendors[i].v == v)
			return vendors[i].name;
	return "unknown";
}

enum cpu_vendor cpu_vendor_parse(const char *s)
{
	for (unsigned int i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (!strcmp(vendors[i].name, s))
			return vendors[i].v;
	return VENDOR_UNKNOWN;
}

bool cpu_vendor_regs(enum cpu_vendor v, uint32_t *ebx, uint32_t *ecx, uint32_t *edx)
{
	for (unsigned int i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++) {
		if (vendors[i].v == v) {
			*ebx = vendors[i].ebx;
			*ecx = vendors[i].ecx;
			*edx = vendors[i].edx;
			return true;
		}
	}
	return false;
}

enum cpu_vendor cpuid_vendor(const struct cpuid_set *set)
{
	const struct cpuid_entry *e = cpuid_find(set, 0, 0);

	if (!e)
		return VENDOR_UNKNOWN;
	for (unsigned int i = 0; i < sizeof(vendors) / sizeof(vendors[0]); i++)
		if (e->ebx == vendors[i].ebx && e->ecx == vendors[i].ecx && e->edx == vendors[i].edx)
			return vendors[i].v;
	return VENDOR_UNKNOWN;
}

/*
 * Signature (SDM vol. 2 CPUID.01H:EAX): stepping [3:0], model [7:4], family
 * [11:8], extended model [19:16] (used when family is 6 or 0xf), extended
 * family [27:20] (added when family is 0xf).
 */
void cpu_signature_decode(uint32_t eax, uint32_t *family, uint32_t *model, uint32_t *stepping)
{
	uint32_t fam = (eax >> 8) & 0xf, mod = (eax >> 4) & 0xf;

	if (fam == 0xf)
		fam += (eax >> 20) & 0xff;
	if (fam == 6 || fam >= 0xf)
		mod |= ((eax >> 16) & 0xf) << 4;
	*family = fam;
	*model = mod;
	*stepping = eax & 0xf;
}

int cpu_signature_encode(uint32_t family, uint32_t model, uint32_t stepping, uint32_t *eax)
{
	uint32_t v;

	if (family > 0xf + 0xff)
		return err_set(-EINVAL, "family %u out of range (max %u)", family, 0xf + 0xff);
	if (model > 0xff)
		return err_set(-EINVAL, "model %u out of range (max 255)", model);
	if (stepping > 0xf)
		return err_set(-EINVAL, "stepping %u out of range (max 15)", stepping);
	if (model > 0xf && family != 6 && family < 0xf)
		return err_set(-EINVAL, "model %u needs the extended model field, which family %u does not have",
			       model, family);
	v = stepping | (model & 0xf) << 4 | (model >> 4) << 16;
	if (family >= 0xf)
		v |= 0xfu << 8 | (family - 0xf) << 20;
	else
		v |= family << 8;
	*eax = v;
	return 0;
}

/* Leaves whose value depends on the sub-leaf (as KVM flags them). */
bool cpuid_leaf_indexed(uint32_t fn)
{
	switch (fn) {
	case 0x4: case 0x7: case 0xb: case 0xd: case 0xf: case 0x10: case 0x12:
	case 0x14: case 0x17: case 0x18: case 0x1d: case 0x1e: case 0x1f: case 0x23:
	case 0x24: case 0x8000001d: case 0x80000020: case 0x80000026:
		return true;
	default:
		return false;
	}
}

enum cpuid_reg_kind cpuid_reg_kind(uint32_t fn, uint32_t idx, enum cpuid_reg r)
{
	switch (fn) {
	case 0x0:
	case 0x80000000:
		return r == CPUID_EAX ? REG_MAXLEAF : REG_MODEL;
	case 0x1:
		if (r == CPUID_EBX)
			return REG_COMPUTED;
		return r == CPUID_EAX ? REG_MODEL : REG_FEATURE;
	case 0x7:
		return (idx == 0 && r == CPUID_EAX) ? REG_MODEL : REG_FEATURE;
	case 0xd:
		if (idx == 0)
			return r == CPUID_EBX ? REG_MODEL : r == CPUID_ECX ? REG_COMPUTED : REG_FEATURE;
		if (idx == 1)
			return r == CPUID_EBX ? REG_MODEL : REG_FEATURE;
		return REG_MODEL;
	case 0x80000001:
		return (r == CPUID_ECX || r == CPUID_EDX) ? REG_FEATURE : REG_MODEL;
	case 0x80000007:
		return r == CPUID_EDX ? REG_FEATURE : REG_MODEL;
	case 0x80000008:
		switch (r) {
		case CPUID_EAX: return REG_ADDR;
		case CPUID_EBX: return REG_FEATURE;
		default: return REG_HOST;
		}
	case 0x80000021:
		return r == CPUID_EBX ? REG_MODEL : REG_FEATURE;
	default:
		return REG_MODEL;
	}
}

/* Bits the VMM or the CPU sets at run time: never compared, never ANDed. */
uint32_t cpuid_dynamic_bits(uint32_t fn, uint32_t idx, enum cpuid_reg r)
{
	if (fn == 1 && r == CPUID_ECX)
		return 1u << 27 | 1u << 31;	/* OSXSAVE (CR4 mirror), HYPERVISOR (VMM) */
	if (fn == 1 && r == CPUID_EDX)
		return 1u << 28;		/* HTT: from the vCPU count */
	if (fn == 7 && idx == 0 && r == CPUID_ECX)
		return 1u << 4;			/* OSPKE (CR4 mirror) */
	if (fn == 0x80000001 && r == CPUID_ECX)
		return 1u << 1;			/* CmpLegacy: topology */
	return 0;
}

uint32_t cpuid_security_bits(uint32_t fn, uint32_t idx, enum cpuid_reg r)
{
	uint32_t m = 0;

	for (int i = 0; i < F_COUNT; i++) {
		const struct cpu_feature_info *fi = &cpu_features[i];

		if (fi->security && fi->function == fn && fi->index == idx && fi->reg == r)
			m |= 1u << fi->bit;
	}
	return m;
}

uint32_t cpuid_xsave_size(const struct cpuid_set *layout, uint64_t xcr0)
{
	uint32_t size = 512 + 64;	/* legacy region + XSAVE header */

	for (unsigned int i = 2; i < 64; i++) {
		const struct cpuid_entry *e;

		if (!(xcr0 & (1ull << i)))
			continue;
		e = cpuid_find(layout, 0xd, i);
		if (!e || !e->eax)
			return 0;
		if (e->ebx + e->eax > size)
			size = e->ebx + e->eax;
	}
	return size;
}

bool cpuid_leaf_managed(uint32_t fn, uint32_t idx)
{
	switch (fn) {
	case 0x0: case 0x1: case 0x7: case 0x80000000: case 0x80000001: case 0x80000008:
	case 0x80000021:
		return true;
	case 0xd:
		return idx <= 1;
	default:
		return false;
	}
}

const char *cpuid_bit_name(uint32_t fn, uint32_t idx, enum cpuid_reg r, unsigned int bit)
{
	for (int i = 0; i < F_COUNT; i++) {
		const struct cpu_feature_info *fi = &cpu_features[i];

		if (fi->function == fn && fi->index == idx && fi->reg == r && fi->bit == bit)
			return fi->name;
	}
	return NULL;
}

/* CSC §2.1: name, QEMU property, pool rule.  Bits 9/16/22/29-61 are not named
 * by KVM (UNVERIFIED meaning, CG §1) and are dropped like ACAP_NEVER bits. */
const struct arch_cap_bit arch_cap_bits[] = {
	{ 0, "RDCL_NO", "rdctl-no", ACAP_AND },
	{ 1, "IBRS_ALL", "ibrs-all", ACAP_AND },
	{ 2, "RSBA", "rsba", ACAP_OR },
	{ 3, "SKIP_VMENTRY_L1DFLUSH", "skip-l1dfl-vmentry", ACAP_AND },
	{ 4, "SSB_NO", "ssb-no", ACAP_AND },
	{ 5, "MDS_NO", "mds-no", ACAP_AND },
	{ 6, "PSCHANGE_MC_NO", "pschange-mc-no", ACAP_AND },
	{ 7, "TSX_CTRL", "tsx-ctrl", ACAP_AND },
	{ 8, "TAA_NO", "taa-no", ACAP_AND },
	{ 10, "MISC_PACKAGE_CTRLS", NULL, ACAP_NEVER },
	{ 11, "ENERGY_FILTERING_CTL", NULL, ACAP_NEVER },
	{ 12, "DOITM", NULL, ACAP_NEVER },
	{ 13, "SBDR_SSDP_NO", "sbdr-ssdp-no", ACAP_AND },
	{ 14, "FBSDP_NO", "fbsdp-no", ACAP_AND },
	{ 15, "PSDP_NO", "psdp-no", ACAP_AND },
	{ 17, "FB_CLEAR", "fb-clear", ACAP_OR },
	{ 18, "FB_CLEAR_CTRL", NULL, ACAP_NEVER },
	{ 19, "RRSBA", NULL, ACAP_OR },
	{ 20, "BHI_NO", "bhi-no", ACAP_AND },
	{ 21, "XAPIC_DISABLE_STATUS", NULL, ACAP_NEVER },
	{ 23, "OVERCLOCKING_STATUS", NULL, ACAP_NEVER },
	{ 24, "PBRSB_NO", "pbrsb-no", ACAP_AND },
	{ 25, "GDS_CTRL", NULL, ACAP_NEVER },
	{ 26, "GDS_NO", "gds-no", ACAP_AND },
	{ 27, "RFDS_NO", "rfds-no", ACAP_AND },
	{ 28, "RFDS_CLEAR", "rfds-clear", ACAP_OR },
	{ 62, "ITS_NO", "its-no", ACAP_AND },
	{ 63, "VIRTUAL_ENUM", NULL, ACAP_VMM },
};
const unsigned int arch_cap_nbits = sizeof(arch_cap_bits) / sizeof(arch_cap_bits[0]);

const struct arch_cap_bit *arch_cap_bit_info(unsigned int bit)
{
	for (unsigned int i = 0; i < arch_cap_nbits; i++)
		if (arch_cap_bits[i].bit == bit)
			return &arch_cap_bits[i];
	return NULL;
}

uint64_t arch_cap_class_mask(enum arch_cap_class c)
{
	uint64_t m = 0;

	for (unsigned int i = 0; i < arch_cap_nbits; i++)
		if (arch_cap_bits[i].cls == c)
			m |= 1ull << arch_cap_bits[i].bit;
	return m;
}

/* QEMU 10.2.2 names (CG §3.x "QEMU" items).  Versions chosen so that the model
 * number matches (Icelake-Server v1-v3 use model 134, CG §3.3); the CLI adds
 * family/model/stepping explicitly anyway. */
const char *cpu_qemu_base(enum cpu_vendor v, uint32_t family, uint32_t model, uint32_t stepping)
{
	if (v == VENDOR_INTEL && family == 6) {
		switch (model) {
		case 0x55: return stepping >= 5 ? "Cascadelake-Server-v2" : "Skylake-Server-v5";
		case 0x6a: return "Icelake-Server-v4";
		case 0x8f: case 0xcf: return "SapphireRapids-v4";
		case 0xad: return "GraniteRapids-v2";
		default: return "";
		}
	}
	if (v == VENDOR_AMD) {
		if (family == 0x17 && model >= 0x30 && model <= 0x3f)
			return "EPYC-Rome-v2";
		if (family == 0x19 && model <= 0x0f)
			return "EPYC-Milan-v2";
		if (family == 0x19 && model >= 0x10 && model <= 0x1f)
			return "EPYC-Genoa-v2";
		if (family == 0x1a)
			return "EPYC-Turin-v1";
	}
	return "";
}

const char *model_source(const struct cpu_model *m, const char *key)
{
	for (unsigned int i = 0; i < m->nsources; i++)
		if (!strcmp(m->sources[i].key, key))
			return m->sources[i].text;
	return NULL;
}

int model_source_set(struct cpu_model *m, const char *key, const char *fmt, ...)
{
	struct model_source *s = NULL;
	va_list ap;
	int n;

	if (strlen(key) >= sizeof(s->key))
		return err_set(-EINVAL, "source key '%s' too long (max %zu)", key, sizeof(s->key) - 1);
	for (unsigned int i = 0; i < m->nsources; i++)
		if (!strcmp(m->sources[i].key, key))
			s = &m->sources[i];
	if (!s) {
		if (m->nsources >= MODEL_MAX_SOURCES)
			return err_set(-ENOSPC, "too many sources (max %d)", MODEL_MAX_SOURCES);
		s = &m->sources[m->nsources++];
		memcpy(s->key, key, strlen(key) + 1);
	}
	va_start(ap, fmt);
	n = vsnprintf(s->text, sizeof(s->text), fmt, ap);
	va_end(ap);
	/* Generated texts (pool baselines) may be long: mark the cut. */
	if (n >= (int)sizeof(s->text))
		memcpy(s->text + sizeof(s->text) - 4, "...", 4);
	return 0;
}

void cpuid_source_key(char *buf, size_t len, uint32_t fn, uint32_t idx, enum cpuid_reg r)
{
	snprintf(buf, len, "cpuid.0x%" PRIx32 ".%" PRIu32 ".%s", fn, idx, cpuid_reg_name(r));
}

static bool basic_leaf(uint32_t fn)
{
	return fn < 0x40000000;
}

static bool ext_leaf(uint32_t fn)
{
	return fn >= 0x80000000 && fn < 0x90000000;
}

/*
 * Checks a model must pass whoever made it.  Messages name the entry by its
 * position in the model's "cpuid" array (the order the file lists them).
 */
int model_validate(const struct cpu_model *m)
{
	static const struct { uint32_t fn, idx; } required[] = {
		{ 0x0, 0 }, { 0x1, 0 }, { 0x7, 0 }, { 0xd, 0 }, { 0xd, 1 },
		{ 0x80000000, 0 }, { 0x80000001, 0 }, { 0x80000008, 0 },
	};
	uint32_t sig, ebx, ecx, edx, max_basic = 0, max_ext = 0, max_sub7 = 0;
	int li0 = -1, lie = -1, li7 = -1;
	int rc;

	if (m->vendor == VENDOR_UNKNOWN)
		return err_set(-EINVAL, "vendor: unknown (want GenuineIntel or AuthenticAMD)");
	rc = cpu_signature_encode(m->family, m->model, m->stepping, &sig);
	if (rc)
		return err_prefix(rc, "family/model/stepping");
	for (unsigned int i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (!cpuid_find(&m->cpuid, required[i].fn, required[i].idx))
			return err_set(-EINVAL, "cpuid: leaf 0x%" PRIx32 " subleaf %" PRIu32 " missing",
				       required[i].fn, required[i].idx);
	for (unsigned int i = 0; i < m->cpuid.nent; i++) {
		const struct cpuid_entry *e = &m->cpuid.ent[i];

		if (e->function == 0)
			li0 = (int)i;
		if (e->function == 0x80000000)
			lie = (int)i;
		if (e->function == 7 && e->index == 0)
			li7 = (int)i;
		if (basic_leaf(e->function) && e->function > max_basic)
			max_basic = e->function;
		if (ext_leaf(e->function) && e->function > max_ext)
			max_ext = e->function;
		if (e->function == 7 && e->index > max_sub7)
			max_sub7 = e->index;
		if (e->function == 1) {
			if (e->eax != sig)
				return err_set(-EINVAL, "cpuid[%u].eax: 0x%08" PRIx32 " does not encode family %" PRIu32
					       " model %" PRIu32 " stepping %" PRIu32 " (want 0x%08" PRIx32 ")",
					       i, e->eax, m->family, m->model, m->stepping, sig);
			if (e->ecx & (1u << 31))
				return err_set(-EINVAL, "cpuid[%u].ecx: bit 31 HYPERVISOR must be 0 (the VMM sets it)", i);
		}
		if (e->function == 7 && e->index == 0 && !(e->edx & (1u << 29)) && m->arch_cap)
			return err_set(-EINVAL, "arch_capabilities: 0x%" PRIx64 " but cpuid[%u].edx bit 29 "
				       "ARCH_CAPABILITIES is 0 (use \"0x0\")", m->arch_cap, i);
	}
	if (!cpu_vendor_regs(m->vendor, &ebx, &ecx, &edx))
		return err_set(-EINVAL, "vendor: unknown");
	{
		const struct cpuid_entry *e0 = &m->cpuid.ent[li0];

		if (e0->ebx != ebx || e0->ecx != ecx || e0->edx != edx)
			return err_set(-EINVAL, "cpuid[%d]: ebx/edx/ecx do not spell vendor %s", li0,
				       cpu_vendor_name(m->vendor));
		if (e0->eax < max_basic)
			return err_set(-EINVAL, "cpuid[%d].eax: max basic leaf 0x%" PRIx32
				       " is below leaf 0x%" PRIx32 " the model defines", li0, e0->eax, max_basic);
	}
	if (m->cpuid.ent[lie].eax < max_ext)
		return err_set(-EINVAL, "cpuid[%d].eax: max extended leaf 0x%" PRIx32
			       " is below leaf 0x%" PRIx32 " the model defines", lie, m->cpuid.ent[lie].eax, max_ext);
	if (m->cpuid.ent[li7].eax < max_sub7)
		return err_set(-EINVAL, "cpuid[%d].eax: max leaf 7 subleaf %" PRIu32
			       " is below subleaf %" PRIu32 " the model defines", li7, m->cpuid.ent[li7].eax, max_sub7);
	if (m->arch_cap & ARCH_CAP_VIRTUAL_ENUM)
		return err_set(-EINVAL, "arch_capabilities: bit 63 VIRTUAL_ENUM is set by the VMM, not by a model");
	return 0;
}

uint32_t cpuid_bytes_min(uint32_t a, uint32_t b)
{
	uint32_t r = 0;

	for (int s = 0; s < 32; s += 8) {
		uint32_t x = (a >> s) & 0xff, y = (b >> s) & 0xff;

		r |= (x < y ? x : y) << s;
	}
	return r;
}
