/* SPDX-License-Identifier: MIT */
#ifndef SV_CPU_CPUID_H
#define SV_CPU_CPUID_H

/*
 * A set of CPUID entries (the value type shared by CPU models, host profiles,
 * the KVM layer and the MSR rules) and the named feature bits the security
 * controls depend on.  Pure code: no KVM here.
 */

#include <stdbool.h>
#include <stdint.h>

enum cpuid_reg { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

#define CPUID_F_INDEXED 1u	/* the entry depends on the sub-leaf (ECX) */

struct cpuid_entry {
	uint32_t function;
	uint32_t index;
	uint32_t flags;		/* CPUID_F_* */
	uint32_t eax, ebx, ecx, edx;
};

#define CPUID_MAX_ENTRIES 256

struct cpuid_set {
	unsigned int nent;
	struct cpuid_entry ent[CPUID_MAX_ENTRIES];
};

/* Lookup; for entries without CPUID_F_INDEXED the index is ignored. */
const struct cpuid_entry *cpuid_find(const struct cpuid_set *set, uint32_t fn, uint32_t idx);
struct cpuid_entry *cpuid_find_mut(struct cpuid_set *set, uint32_t fn, uint32_t idx);
/* Insert or replace (matched on function, index); -ENOSPC when full. */
int cpuid_put(struct cpuid_set *set, const struct cpuid_entry *e);
void cpuid_remove(struct cpuid_set *set, uint32_t fn, uint32_t idx);
/* Register value, 0 when the leaf is absent. */
uint32_t cpuid_reg(const struct cpuid_set *set, uint32_t fn, uint32_t idx, enum cpuid_reg r);
uint32_t *cpuid_entry_reg(struct cpuid_entry *e, enum cpuid_reg r);
uint32_t cpuid_entry_reg_get(const struct cpuid_entry *e, enum cpuid_reg r);
const char *cpuid_reg_name(enum cpuid_reg r);
int cpuid_reg_parse(const char *s, enum cpuid_reg *r);	/* "eax".."edx" */

/*
 * Named feature bits.  Positions: shared/reference/cpu-security-controls.md §1.1,
 * §2, §4.1, §5.5 and cpu-generations.md §1 (bit names).
 */
enum cpu_feature {
	/* leaf 1 */
	F_HYPERVISOR,		/* 1.ECX[31] */
	F_XSAVE,		/* 1.ECX[26] */
	F_LM,			/* 0x80000001.EDX[29] (long mode, INT_SSP_TAB rule §4.3) */
	/* leaf 7.0 */
	F_RTM,			/* 7.0.EBX[11] */
	F_SHSTK,		/* 7.0.ECX[7] */
	F_LA57,			/* 7.0.ECX[16] (57-bit canonical addresses, §4.3) */
	F_BUS_LOCK_DETECT,	/* 7.0.ECX[24] */
	F_MD_CLEAR,		/* 7.0.EDX[10] */
	F_IBT,			/* 7.0.EDX[20] */
	F_SPEC_CTRL,		/* 7.0.EDX[26] IBRS and IBPB */
	F_INTEL_STIBP,		/* 7.0.EDX[27] */
	F_L1D_FLUSH,		/* 7.0.EDX[28] IA32_FLUSH_CMD */
	F_ARCH_CAPABILITIES,	/* 7.0.EDX[29] */
	F_CORE_CAPABILITIES,	/* 7.0.EDX[30] */
	F_SPEC_CTRL_SSBD,	/* 7.0.EDX[31] */
	/* leaf 7.2 EDX */
	F_INTEL_PSFD,		/* [0] */
	F_IPRED_CTRL,		/* [1] */
	F_RRSBA_CTRL,		/* [2] */
	F_DDPD_U,		/* [3] */
	F_BHI_CTRL,		/* [4] */
	F_MCDT_NO,		/* [5] */
	/* leaf 0xD.1 EAX */
	F_XSAVES,		/* 0xD.1.EAX[3] */
	/* leaf 0x80000008 EBX (AMD) */
	F_AMD_IBPB,		/* [12] */
	F_AMD_IBRS,		/* [14] */
	F_AMD_STIBP,		/* [15] */
	F_AMD_IBRS_ALWAYS_ON,	/* [16] */
	F_AMD_STIBP_ALWAYS_ON,	/* [17] */
	F_AMD_IBRS_PREFERRED,	/* [18] */
	F_AMD_IBRS_SAME_MODE,	/* [19] */
	F_AMD_SSBD,		/* [24] */
	F_AMD_VIRT_SSBD,	/* [25] */
	F_AMD_SSB_NO,		/* [26] */
	F_AMD_PSFD,		/* [28] */
	F_AMD_BTC_NO,		/* [29] */
	F_AMD_IBPB_RET,		/* [30] */
	/* leaf 0x80000021 EAX (AMD) */
	F_AMD_AUTO_IBRS,	/* [8] */
	F_AMD_SBPB,		/* [27] */
	F_AMD_IBPB_BRTYPE,	/* [28] */
	F_AMD_SRSO_NO,		/* [29] */
	F_COUNT
};

struct cpu_feature_info {
	const char *name;	/* e.g. "SPEC_CTRL" */
	const char *qemu;	/* QEMU -cpu property name, NULL if QEMU has none */
	uint32_t function, index;
	enum cpuid_reg reg;
	uint8_t bit;
	bool security;		/* part of the security controls (reported when KVM changes it) */
};

extern const struct cpu_feature_info cpu_features[F_COUNT];

bool cpuid_has(const struct cpuid_set *set, enum cpu_feature f);
/* Sets or clears the bit; creates the leaf (zeroed) if absent.  -ENOSPC if full. */
int cpuid_set_feature(struct cpuid_set *set, enum cpu_feature f, bool on);
/* Feature by name (case-insensitive), or -1. */
int cpu_feature_by_name(const char *name);

#endif
