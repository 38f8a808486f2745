/* SPDX-License-Identifier: MIT */
#ifndef SV_TEST_MSR_MODELS_H
#define SV_TEST_MSR_MODELS_H

/*
 * Real CPUID / IA32_ARCH_CAPABILITIES values for the MSR-layer tests and the
 * fuzzer, each from a row of shared/reference/cpu-generations.md (section and
 * source tag in the comment).  Only the leaves the rules read are filled.
 * Leaf 0x80000001.EDX[29] LM and 0xD.1.EAX[3] XSAVES are not listed in the
 * reference; every part below is a 64-bit CPU with XSAVES, so both are set
 * (the synthetic variants clear them where a test needs that).
 */

#include <string.h>

#include "cpu/cpuid.h"
#include "cpu/host.h"
#include "msr/msr.h"
#include "policy/forcing.h"

enum tm_id {
	TM_EMPTY,		/* synthetic: no security leaves at all */
	TM_SPR_RAW,		/* §3.4 Sapphire Rapids RAW, IL 0x806F8 w9-3475X ucode 0x2b0000c0 */
	TM_EMR_RAW,		/* §3.5 Emerald Rapids RAW, IL 0xC06F2 Platinum 8570 ucode 0x21000283 */
	TM_GNR_RAW,		/* §3.6 Granite Rapids RAW, IL 0xA06D1 ucode 0x10001d0 */
	TM_ADLP_RAW,		/* §3.7 Alder Lake-P i3-1220P RAW, IL 0x906a4 ucode 0x42a */
	TM_ICX_RAW,		/* §3.3 Ice Lake-SP RAW, IL 0x606A6 Platinum 8351N ucode 0xd000280 */
	TM_CLX_KVM,		/* §3.2 Cascade Lake KVM, FC 6.18.30 row (7.0.EDX 6.18, ARCH_CAP 0x0c0aa0eb) */
	TM_ROME_TRPRO_RAW,	/* §3.8 Rome Threadripper PRO 3955WX RAW, IL _CPUID6/7: no AMD_IBRS */
	TM_ROME_RAW,		/* §3.8 Rome EPYC 7502 RAW, LV x86_64-cpuid-EPYC-7502-32-Core.xml */
	TM_MILAN_RAW,		/* §3.9 Milan EPYC 7763 RAW, IL ucode 0x0a00111d */
	TM_MILAN_KVM,		/* §3.9 Milan KVM, FC 6.18.30 row (SBPB, no SPEC_CTRL) */
	TM_GENOA_RAW,		/* §3.10 Genoa EPYC 9654 RAW, IL ucode 0x0a101121 */
	TM_GENOA_KVM,		/* §3.10 Genoa KVM, FC 6.18 row */
	TM_COUNT
};

struct tm_model {
	const char *name;
	bool amd;
	uint32_t ecx7, edx7;		/* CPUID.7.0 */
	bool has72;
	uint32_t edx72;			/* CPUID.7.2 */
	uint32_t ebx8008;		/* CPUID.0x80000008 */
	bool has8021;
	uint32_t eax8021;		/* CPUID.0x80000021 */
	uint64_t arch_cap;		/* IA32_ARCH_CAPABILITIES (0 on AMD: no MSR) */
};

static inline const struct tm_model *tm_get(enum tm_id id)
{
	static const struct tm_model t[TM_COUNT] = {
		[TM_EMPTY] = { "empty", false, 0, 0, false, 0, 0, false, 0, 0 },
		/* 7.0.ECX 0xbb417fee (SHSTK, LA57); 7.0.EDX 0xffdd4430; 7.2.EDX 0x17; 8_08 0x200 */
		[TM_SPR_RAW] = { "SapphireRapids-raw", false, 0xbb417fee, 0xffdd4430, true, 0x17,
				 0x200, false, 0, 0xa8fdeb },
		/* 7.0.EDX 0xffdd4432, SHSTK 1 (rest of ECX not in the row), 7.2 0x1f */
		[TM_EMR_RAW] = { "EmeraldRapids-raw", false, 0x80, 0xffdd4432, true, 0x1f,
				 0x200, false, 0, 0x6c28fdeb },
		/* 7.0.EDX 0xffdd4430, SHSTK 1 (rest of ECX not in the row), 7.2 0x3f */
		[TM_GNR_RAW] = { "GraniteRapids-raw", false, 0x80, 0xffdd4430, true, 0x3f,
				 0x200, false, 0, 0x2da9fdeb },
		/* 7.0.EDX 0xfc18c410, SHSTK 1, 7.2 0x17, 8_08 0 */
		[TM_ADLP_RAW] = { "AlderLakeP-raw", false, 0x80, 0xfc18c410, true, 0x17,
				  0, false, 0, 0x88fd6b },
		/* 7.0.ECX 0x40417f4e (no SHSTK, LA57), 7.0.EDX 0xbc040412, no 7.2 */
		[TM_ICX_RAW] = { "IceLake-raw", false, 0x40417f4e, 0xbc040412, false, 0,
				 0x200, false, 0, 0x1eb },
		/* 7.0.EDX 0xbc000400 (6.18), no 7.2, 8_08 0x0100d000 */
		[TM_CLX_KVM] = { "CascadeLake-kvm", false, 0, 0xbc000400, false, 0,
				 0x0100d000, false, 0, 0x0c0aa0eb },
		/* 7.0.ECX 0x00400004, 7.0.EDX 0, 8_08 0x018cb757, no 0x80000021 */
		[TM_ROME_TRPRO_RAW] = { "Rome-TRPRO-raw", true, 0x00400004, 0, false, 0,
					0x018cb757, false, 0, 0 },
		[TM_ROME_RAW] = { "Rome-raw", true, 0x00400004, 0, false, 0,
				  0x018cf757, false, 0, 0 },
		/* 7.0.ECX 0x0040068c (SHSTK), 7.0.EDX 0x10, 8_08 0x91bef75f, 8_21 0x204d */
		[TM_MILAN_RAW] = { "Milan-raw", true, 0x0040068c, 0x10, false, 0,
				   0x91bef75f, true, 0x0000204d, 0 },
		/* 7.0.EDX 0x88000000, SHSTK 1, 8_08 0x130ad205, 8_21 0x18000265 */
		[TM_MILAN_KVM] = { "Milan-kvm", true, 0x80, 0x88000000, false, 0,
				   0x130ad205, true, 0x18000265, 0 },
		/* 7.0.ECX 0x00415fce (SHSTK), 7.0.EDX 0x10000010, 8_08 0x79bef25f, 8_21 0x62fcf */
		[TM_GENOA_RAW] = { "Genoa-raw", true, 0x00415fce, 0x10000010, false, 0,
				   0x79bef25f, true, 0x00062fcf, 0 },
		/* 7.0.EDX 0x9c000010, SHSTK 1, 8_08 0x530ad205, 8_21 0x18000367 */
		[TM_GENOA_KVM] = { "Genoa-kvm", true, 0x80, 0x9c000010, false, 0,
				   0x530ad205, true, 0x18000367, 0 },
	};

	return &t[id];
}

static inline void tm_put(struct cpuid_set *c, uint32_t fn, uint32_t idx, bool indexed,
			  uint32_t a, uint32_t b, uint32_t cc, uint32_t d)
{
	struct cpuid_entry e = { .function = fn, .index = idx,
				 .flags = indexed ? CPUID_F_INDEXED : 0,
				 .eax = a, .ebx = b, .ecx = cc, .edx = d };

	cpuid_put(c, &e);
}

static inline void tm_cpuid(enum tm_id id, struct cpuid_set *c)
{
	const struct tm_model *m = tm_get(id);

	memset(c, 0, sizeof(*c));
	if (id == TM_EMPTY)
		return;
	if (m->amd)
		tm_put(c, 0, 0, false, 0x10, 0x68747541, 0x444d4163, 0x69746e65);
	else
		tm_put(c, 0, 0, false, 0x20, 0x756e6547, 0x6c65746e, 0x49656e69);
	tm_put(c, 7, 0, true, m->has72 ? 2 : 0, 0, m->ecx7, m->edx7);
	if (m->has72)
		tm_put(c, 7, 2, true, 0, 0, 0, m->edx72);
	tm_put(c, 0xd, 1, true, 1u << 3, 0, 0, 0);		/* XSAVES */
	tm_put(c, 0x80000001, 0, false, 0, 0, 0, 1u << 29);	/* LM */
	tm_put(c, 0x80000008, 0, false, 0, m->ebx8008, 0, 0);
	if (m->has8021)
		tm_put(c, 0x80000021, 0, false, m->eax8021, 0, 0, 0);
}

/* Host facts for a host of this generation, through host_facts_from_profile(). */
static inline void tm_host(enum tm_id id, struct host_facts *hf)
{
	static struct host_profile hp;

	memset(&hp, 0, sizeof(hp));
	tm_cpuid(id, &hp.cpuid);
	hp.arch_cap = tm_get(id)->arch_cap;
	host_facts_from_profile(&hp, hf);
}

/* A VM of model `guest` on host `host`; ARCH_CAPABILITIES exposed when the
 * model enumerates it, virtual MSRs per virt. */
static inline void tm_vm(struct msr_vm *vm, enum tm_id guest, enum tm_id host,
			 enum mitigation_policy pol, bool virt)
{
	memset(vm, 0, sizeof(*vm));
	tm_cpuid(guest, &vm->cpuid);
	vm->arch_cap = tm_get(guest)->arch_cap;
	vm->arch_cap_exposed = !tm_get(guest)->amd;
	vm->virt_msrs = virt;
	tm_host(host, &vm->host);
	vm->force.policy = pol;
	msr_vm_init(vm);
}

/* The vCPU state a rejected access must not touch: everything before the
 * counters (dirty included). */
#define TM_VCPU_STATE_SIZE (offsetof(struct msr_vcpu, dirty) + sizeof(unsigned int))

#endif
