/* SPDX-License-Identifier: MIT */
#ifndef GUEST_VMITIG_H
#define GUEST_VMITIG_H

/*
 * Guest half of the virtual mitigation MSR protocol: tell the VMM which
 * software mitigations this kernel uses so it can enforce the hardware
 * controls they depend on (RRSBA_DIS_S for retpoline, BHI_DIS_S for the
 * short BHB-clearing loop) on whatever host the guest runs.
 *
 * Discovery, in this order:
 *   1. Intel's way: CPUID.7.0:EDX[29] -> IA32_ARCH_CAPABILITIES bit 63
 *      (VIRTUAL_ENUM);
 *   2. vendor-neutral: CPUID 0x40000100 EAX >= 0x40000101 with the
 *      signature "SpecvisorVMM" in EBX/ECX/EDX, and 0x40000101 EAX bit 0.
 * Then MSR 0x50000000 bit 0 says MITIGATION_CTRL is usable, 0x50000001 what
 * the VMM can act on, and 0x50000002 is where the guest writes what it uses.
 *
 * Porting to another kernel: the library needs only cpuid() and the two
 * fault-tolerant accessors rdmsr_safe()/wrmsr_safe() (0 or the exception
 * vector), here from the specvisor guest runtime (rt/cpu.h).  Call
 * vmitig_detect() then vmitig_report() on every CPU, as Linux's RFC did.
 */

#include <stdbool.h>
#include <stdint.h>

#define MSR_ARCH_CAPABILITIES		0x0000010a
#define MSR_VIRTUAL_ENUMERATION		0x50000000
#define MSR_VIRTUAL_MITIGATION_ENUM	0x50000001
#define MSR_VIRTUAL_MITIGATION_CTRL	0x50000002

#define ARCH_CAP_VIRTUAL_ENUM		(1ull << 63)
#define VIRT_ENUM_MITIGATION_CTRL	(1ull << 0)
#define MITI_ENUM_BHB_CLEAR_SEQ_S	(1ull << 0)	/* VMM can force BHI_DIS_S */
#define MITI_ENUM_RETPOLINE_S		(1ull << 1)	/* VMM can force RRSBA_DIS_S */
#define MITI_CTRL_BHB_CLEAR_SEQ_S_USED	(1ull << 0)
#define MITI_CTRL_RETPOLINE_S_USED	(1ull << 1)

#define VMITIG_HV_LEAF			0x40000100
#define VMITIG_HV_FEATURES		0x40000101
#define VMITIG_HV_FEAT_VIRT_MSRS	(1u << 0)

enum vmitig_via {
	VMITIG_NONE,		/* no interface found */
	VMITIG_ARCHCAP,		/* ARCH_CAPABILITIES.VIRTUAL_ENUM */
	VMITIG_HVLEAF,		/* hypervisor CPUID leaf 0x40000100 */
};

struct vmitig {
	enum vmitig_via via;
	bool has_arch_cap;	/* IA32_ARCH_CAPABILITIES enumerated and read */
	uint64_t arch_cap;
	uint64_t virt_enum;	/* MSR 0x50000000 */
	bool ctrl_supported;	/* virt_enum bit 0 */
	uint64_t miti_enum;	/* MSR 0x50000001 */
	uint64_t miti_ctrl;	/* MSR 0x50000002, as last read */
	int fault;		/* vector of the last faulting access, or 0 */
	uint32_t fault_msr;	/* ... and the MSR it hit */
};

/* "none", "archcap" or "hvleaf". */
const char *vmitig_via_name(enum vmitig_via via);

/*
 * Fill *v.  Returns 1 if MITIGATION_CTRL can be used, 0 if not (no interface,
 * or the VMM does not support it), or -vector if an MSR access faulted.
 */
int vmitig_detect(struct vmitig *v);

/*
 * Tell the VMM whether this kernel uses the short BHB-clearing loop and
 * retpoline.  Only bits the VMM enumerates in MITIGATION_ENUM are touched
 * (set or cleared), the rest of MITIGATION_CTRL is preserved, and the MSR is
 * written only if that changes it.  v->miti_ctrl gets the value read back.
 * Returns 0, -1 if the interface is unavailable, or -vector on a fault.
 */
int vmitig_report(struct vmitig *v, bool bhb_clear_loop, bool retpoline);

#endif
