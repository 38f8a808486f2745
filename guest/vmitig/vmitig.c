/* SPDX-License-Identifier: MIT */
#include "vmitig.h"

#include "cpu.h"	/* cpuid(), rdmsr_safe(), wrmsr_safe(): the only dependencies */

#define CPUID7_EDX_ARCH_CAPABILITIES	(1u << 29)

/* "SpecvisorVMM" in EBX, ECX, EDX order, little-endian. */
#define SIG_EBX	0x63657053u	/* "Spec" */
#define SIG_ECX	0x6f736976u	/* "viso" */
#define SIG_EDX	0x4d4d5672u	/* "rVMM" */

const char *vmitig_via_name(enum vmitig_via via)
{
	switch (via) {
	case VMITIG_ARCHCAP:
		return "archcap";
	case VMITIG_HVLEAF:
		return "hvleaf";
	default:
		return "none";
	}
}

static int rd(struct vmitig *v, uint32_t msr, uint64_t *val)
{
	int vec = rdmsr_safe(msr, val);

	if (vec) {
		v->fault = vec;
		v->fault_msr = msr;
	}
	return vec;
}

static int wr(struct vmitig *v, uint32_t msr, uint64_t val)
{
	int vec = wrmsr_safe(msr, val);

	if (vec) {
		v->fault = vec;
		v->fault_msr = msr;
	}
	return vec;
}

static bool archcap_says_so(struct vmitig *v)
{
	if (cpuid(0, 0).eax < 7 || !(cpuid(7, 0).edx & CPUID7_EDX_ARCH_CAPABILITIES))
		return false;
	if (rd(v, MSR_ARCH_CAPABILITIES, &v->arch_cap))
		return false;
	v->has_arch_cap = true;
	return v->arch_cap & ARCH_CAP_VIRTUAL_ENUM;
}

/*
 * Not gated on CPUID.1:ECX[31] (hypervisor present): a CPU model copied from
 * real hardware may leave it clear, and on bare metal an out-of-range leaf
 * returns data that cannot match the 12-byte signature.
 */
static bool hvleaf_says_so(void)
{
	struct cpuid_regs r = cpuid(VMITIG_HV_LEAF, 0);

	if (r.ebx != SIG_EBX || r.ecx != SIG_ECX || r.edx != SIG_EDX)
		return false;
	if (r.eax < VMITIG_HV_FEATURES || r.eax > VMITIG_HV_LEAF + 0xff)
		return false;
	return cpuid(VMITIG_HV_FEATURES, 0).eax & VMITIG_HV_FEAT_VIRT_MSRS;
}

int vmitig_detect(struct vmitig *v)
{
	*v = (struct vmitig){ .via = VMITIG_NONE };

	if (archcap_says_so(v))
		v->via = VMITIG_ARCHCAP;
	else if (hvleaf_says_so())
		v->via = VMITIG_HVLEAF;
	else
		return 0;

	if (rd(v, MSR_VIRTUAL_ENUMERATION, &v->virt_enum))
		return -v->fault;
	v->ctrl_supported = v->virt_enum & VIRT_ENUM_MITIGATION_CTRL;
	if (!v->ctrl_supported)
		return 0;
	if (rd(v, MSR_VIRTUAL_MITIGATION_ENUM, &v->miti_enum) ||
	    rd(v, MSR_VIRTUAL_MITIGATION_CTRL, &v->miti_ctrl))
		return -v->fault;
	return 1;
}

static uint64_t assign_bit(uint64_t val, uint64_t bit, bool on)
{
	return on ? val | bit : val & ~bit;
}

int vmitig_report(struct vmitig *v, bool bhb_clear_loop, bool retpoline)
{
	uint64_t cur, want;

	if (v->via == VMITIG_NONE || !v->ctrl_supported)
		return -1;
	if (rd(v, MSR_VIRTUAL_MITIGATION_CTRL, &cur))
		return -v->fault;
	want = cur;
	if (v->miti_enum & MITI_ENUM_BHB_CLEAR_SEQ_S)
		want = assign_bit(want, MITI_CTRL_BHB_CLEAR_SEQ_S_USED, bhb_clear_loop);
	if (v->miti_enum & MITI_ENUM_RETPOLINE_S)
		want = assign_bit(want, MITI_CTRL_RETPOLINE_S_USED, retpoline);
	if (want != cur && wr(v, MSR_VIRTUAL_MITIGATION_CTRL, want))
		return -v->fault;
	if (rd(v, MSR_VIRTUAL_MITIGATION_CTRL, &v->miti_ctrl))
		return -v->fault;
	return 0;
}
