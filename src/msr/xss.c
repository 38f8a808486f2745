/* SPDX-License-Identifier: MIT */
/*
 * IA32_XSS (0xda0, §4.1): the supervisor XSAVE components the guest may
 * enable.  The layer only knows the CET components (XFEATURE 11 CET_USER,
 * 12 CET_KERNEL); every other bit is refused, as KVM supports no other
 * supervisor state for guests.
 */
#include "msr/msr_internal.h"

/*
 * §4.1: writes must be a subset of guest_supported_xss, derived from the
 * guest's CPUID, for host writes too; KVM offers SHSTK/IBT only when it
 * supports both CET components (XFEATURE_MASK_CET_ALL).  Decision: the two
 * bits go together, allowed iff the model has SHSTK or IBT (an IBT-only guest
 * still needs CET_USER for U_CET; CET_KERNEL then only holds unused PLx_SSP).
 * Without XSAVES (CPUID.0xD.1:EAX[3]) there is no IA32_XSS at all (KVM's
 * rule; not stated in the reference, UNVERIFIED there), so nothing is
 * settable.
 */
uint64_t xss_supported_mask(const struct cpuid_set *c)
{
	if (!cpuid_has(c, F_XSAVES))
		return 0;
	if (cpuid_has(c, F_SHSTK) || cpuid_has(c, F_IBT))
		return XFEATURE_MASK_CET_USER | XFEATURE_MASK_CET_KERNEL;
	return 0;
}

#define XSS_NEEDS "IA32_XSS not enumerated by the CPU model (needs CPUID.0xD.1:EAX[3] XSAVES)"

enum msr_status xss_read(const struct msr_vm *vm, struct msr_vcpu *v,
			 uint64_t *val, enum msr_access who)
{
	if (who == MSR_GUEST && !cpuid_has(&vm->cpuid, F_XSAVES))
		return msr_reject(who, false, MSR_IA32_XSS, 0, XSS_NEEDS);
	*val = v->xss;
	return MSR_OK;
}

enum msr_status xss_write(const struct msr_vm *vm, struct msr_vcpu *v,
			  uint64_t val, enum msr_access who)
{
	uint64_t bad = val & ~vm->xss_supported;

	if (who == MSR_GUEST && !cpuid_has(&vm->cpuid, F_XSAVES))
		return msr_reject(who, true, MSR_IA32_XSS, val, XSS_NEEDS);
	if (bad)
		return msr_reject(who, true, MSR_IA32_XSS, val,
				  "bits 0x%llx not supported for this CPU model (allowed: 0x%llx; "
				  "CET_USER[11]|CET_KERNEL[12] need SHSTK or IBT and XSAVES)",
				  (unsigned long long)bad, (unsigned long long)vm->xss_supported);
	if (v->xss != val) {
		v->xss = val;
		v->dirty |= MSR_DIRTY_CET;
	}
	return MSR_OK;
}
