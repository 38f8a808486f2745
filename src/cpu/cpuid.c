/* SPDX-License-Identifier: MIT */
#include "cpu/cpuid.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "util/err.h"

#define FEAT(id, nm, q, fn, idx, r, b, sec) \
	[id] = { .name = nm, .qemu = q, .function = fn, .index = idx, .reg = r, .bit = b, .security = sec }

const struct cpu_feature_info cpu_features[F_COUNT] = {
	FEAT(F_HYPERVISOR, "HYPERVISOR", "hypervisor", 1, 0, CPUID_ECX, 31, false),
	FEAT(F_XSAVE, "XSAVE", "xsave", 1, 0, CPUID_ECX, 26, false),
	FEAT(F_LM, "LM", "lm", 0x80000001, 0, CPUID_EDX, 29, false),
	FEAT(F_RTM, "RTM", "rtm", 7, 0, CPUID_EBX, 11, true),
	FEAT(F_SHSTK, "SHSTK", "cet-ss", 7, 0, CPUID_ECX, 7, true),
	FEAT(F_LA57, "LA57", "la57", 7, 0, CPUID_ECX, 16, false),
	FEAT(F_BUS_LOCK_DETECT, "BUS_LOCK_DETECT", "bus-lock-detect", 7, 0, CPUID_ECX, 24, true),
	FEAT(F_MD_CLEAR, "MD_CLEAR", "md-clear", 7, 0, CPUID_EDX, 10, true),
	FEAT(F_IBT, "IBT", "cet-ibt", 7, 0, CPUID_EDX, 20, true),
	FEAT(F_SPEC_CTRL, "SPEC_CTRL", "spec-ctrl", 7, 0, CPUID_EDX, 26, true),
	FEAT(F_INTEL_STIBP, "STIBP", "stibp", 7, 0, CPUID_EDX, 27, true),
	FEAT(F_L1D_FLUSH, "L1D_FLUSH", "flush-l1d", 7, 0, CPUID_EDX, 28, true),
	FEAT(F_ARCH_CAPABILITIES, "ARCH_CAPABILITIES", "arch-capabilities", 7, 0, CPUID_EDX, 29, true),
	FEAT(F_CORE_CAPABILITIES, "CORE_CAPABILITIES", "core-capability", 7, 0, CPUID_EDX, 30, true),
	FEAT(F_SPEC_CTRL_SSBD, "SSBD", "ssbd", 7, 0, CPUID_EDX, 31, true),
	FEAT(F_INTEL_PSFD, "PSFD", "intel-psfd", 7, 2, CPUID_EDX, 0, true),
	FEAT(F_IPRED_CTRL, "IPRED_CTRL", "ipred-ctrl", 7, 2, CPUID_EDX, 1, true),
	FEAT(F_RRSBA_CTRL, "RRSBA_CTRL", "rrsba-ctrl", 7, 2, CPUID_EDX, 2, true),
	FEAT(F_DDPD_U, "DDPD_U", "ddpd-u", 7, 2, CPUID_EDX, 3, true),
	FEAT(F_BHI_CTRL, "BHI_CTRL", "bhi-ctrl", 7, 2, CPUID_EDX, 4, true),
	FEAT(F_MCDT_NO, "MCDT_NO", "mcdt-no", 7, 2, CPUID_EDX, 5, true),
	FEAT(F_XSAVES, "XSAVES", "xsaves", 0xd, 1, CPUID_EAX, 3, false),
	FEAT(F_AMD_IBPB, "AMD_IBPB", "ibpb", 0x80000008, 0, CPUID_EBX, 12, true),
	FEAT(F_AMD_IBRS, "AMD_IBRS", "ibrs", 0x80000008, 0, CPUID_EBX, 14, true),
	FEAT(F_AMD_STIBP, "AMD_STIBP", "amd-stibp", 0x80000008, 0, CPUID_EBX, 15, true),
	FEAT(F_AMD_IBRS_ALWAYS_ON, "AMD_IBRS_ALWAYS_ON", NULL, 0x80000008, 0, CPUID_EBX, 16, true),
	FEAT(F_AMD_STIBP_ALWAYS_ON, "AMD_STIBP_ALWAYS_ON", "stibp-always-on", 0x80000008, 0, CPUID_EBX, 17, true),
	FEAT(F_AMD_IBRS_PREFERRED, "AMD_IBRS_PREFERRED", NULL, 0x80000008, 0, CPUID_EBX, 18, true),
	FEAT(F_AMD_IBRS_SAME_MODE, "AMD_IBRS_SAME_MODE", NULL, 0x80000008, 0, CPUID_EBX, 19, true),
	FEAT(F_AMD_SSBD, "AMD_SSBD", "amd-ssbd", 0x80000008, 0, CPUID_EBX, 24, true),
	FEAT(F_AMD_VIRT_SSBD, "AMD_VIRT_SSBD", "virt-ssbd", 0x80000008, 0, CPUID_EBX, 25, true),
	FEAT(F_AMD_SSB_NO, "AMD_SSB_NO", "amd-no-ssb", 0x80000008, 0, CPUID_EBX, 26, true),
	FEAT(F_AMD_PSFD, "AMD_PSFD", "amd-psfd", 0x80000008, 0, CPUID_EBX, 28, true),
	FEAT(F_AMD_BTC_NO, "AMD_BTC_NO", NULL, 0x80000008, 0, CPUID_EBX, 29, true),
	FEAT(F_AMD_IBPB_RET, "AMD_IBPB_RET", NULL, 0x80000008, 0, CPUID_EBX, 30, true),
	FEAT(F_AMD_AUTO_IBRS, "AMD_AUTO_IBRS", "auto-ibrs", 0x80000021, 0, CPUID_EAX, 8, true),
	FEAT(F_AMD_SBPB, "AMD_SBPB", "sbpb", 0x80000021, 0, CPUID_EAX, 27, true),
	FEAT(F_AMD_IBPB_BRTYPE, "AMD_IBPB_BRTYPE", "ibpb-brtype", 0x80000021, 0, CPUID_EAX, 28, true),
	FEAT(F_AMD_SRSO_NO, "AMD_SRSO_NO", "srso-no", 0x80000021, 0, CPUID_EAX, 29, true),
};

static bool entry_match(const struct cpuid_entry *e, uint32_t fn, uint32_t idx)
{
	if (e->function != fn)
		return false;
	return !(e->flags & CPUID_F_INDEXED) || e->index == idx;
}

struct cpuid_entry *cpuid_find_mut(struct cpuid_set *set, uint32_t fn, uint32_t idx)
{
	for (unsigned int i = 0; i < set->nent; i++)
		if (entry_match(&set->ent[i], fn, idx))
			return &set->ent[i];
	return NULL;
}

const struct cpuid_entry *cpuid_find(const struct cpuid_set *set, uint32_t fn, uint32_t idx)
{
	return cpuid_find_mut((struct cpuid_set *)set, fn, idx);
}

int cpuid_put(struct cpuid_set *set, const struct cpuid_entry *e)
{
	for (unsigned int i = 0; i < set->nent; i++) {
		struct cpuid_entry *x = &set->ent[i];

		if (x->function == e->function && (x->index == e->index ||
		    !((x->flags | e->flags) & CPUID_F_INDEXED))) {
			*x = *e;
			return 0;
		}
	}
	if (set->nent >= CPUID_MAX_ENTRIES)
		return err_set(-ENOSPC, "too many CPUID entries (max %d)", CPUID_MAX_ENTRIES);
	set->ent[set->nent++] = *e;
	return 0;
}

void cpuid_remove(struct cpuid_set *set, uint32_t fn, uint32_t idx)
{
	for (unsigned int i = 0; i < set->nent; i++) {
		if (entry_match(&set->ent[i], fn, idx)) {
			memmove(&set->ent[i], &set->ent[i + 1],
				(set->nent - i - 1) * sizeof(set->ent[0]));
			set->nent--;
			return;
		}
	}
}

uint32_t cpuid_entry_reg_get(const struct cpuid_entry *e, enum cpuid_reg r)
{
	switch (r) {
	case CPUID_EAX: return e->eax;
	case CPUID_EBX: return e->ebx;
	case CPUID_ECX: return e->ecx;
	default: return e->edx;
	}
}

uint32_t *cpuid_entry_reg(struct cpuid_entry *e, enum cpuid_reg r)
{
	switch (r) {
	case CPUID_EAX: return &e->eax;
	case CPUID_EBX: return &e->ebx;
	case CPUID_ECX: return &e->ecx;
	default: return &e->edx;
	}
}

uint32_t cpuid_reg(const struct cpuid_set *set, uint32_t fn, uint32_t idx, enum cpuid_reg r)
{
	const struct cpuid_entry *e = cpuid_find(set, fn, idx);

	return e ? cpuid_entry_reg_get(e, r) : 0;
}

const char *cpuid_reg_name(enum cpuid_reg r)
{
	static const char *const names[] = { "eax", "ebx", "ecx", "edx" };

	return (unsigned int)r < 4 ? names[r] : "?";
}

int cpuid_reg_parse(const char *s, enum cpuid_reg *r)
{
	for (int i = 0; i < 4; i++) {
		if (!strcasecmp(s, cpuid_reg_name((enum cpuid_reg)i))) {
			*r = (enum cpuid_reg)i;
			return 0;
		}
	}
	return err_set(-EINVAL, "unknown CPUID register '%s' (want eax, ebx, ecx or edx)", s);
}

bool cpuid_has(const struct cpuid_set *set, enum cpu_feature f)
{
	const struct cpu_feature_info *fi = &cpu_features[f];

	return (cpuid_reg(set, fi->function, fi->index, fi->reg) >> fi->bit) & 1;
}

int cpuid_set_feature(struct cpuid_set *set, enum cpu_feature f, bool on)
{
	const struct cpu_feature_info *fi = &cpu_features[f];
	struct cpuid_entry *e = cpuid_find_mut(set, fi->function, fi->index);
	uint32_t *r;

	if (!e) {
		struct cpuid_entry n = { .function = fi->function, .index = fi->index,
			.flags = (fi->function == 7 || fi->function == 0xd) ? CPUID_F_INDEXED : 0 };
		int rc;

		if (!on)
			return 0;
		rc = cpuid_put(set, &n);
		if (rc)
			return rc;
		e = cpuid_find_mut(set, fi->function, fi->index);
	}
	r = cpuid_entry_reg(e, fi->reg);
	if (on)
		*r |= 1u << fi->bit;
	else
		*r &= ~(1u << fi->bit);
	return 0;
}

int cpu_feature_by_name(const char *name)
{
	for (int i = 0; i < F_COUNT; i++)
		if (!strcasecmp(cpu_features[i].name, name))
			return i;
	return -1;
}
