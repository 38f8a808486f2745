/* SPDX-License-Identifier: MIT */
/*
 * CET MSRs (§4.2): IA32_U_CET, IA32_S_CET, IA32_PL0..3_SSP, IA32_INT_SSP_TAB,
 * with KVM's validity checks (§4.3) for guest and host accesses alike.
 */
#include "msr/msr_internal.h"

static bool model_has_la57(const struct cpuid_set *c)
{
	return cpuid_has(c, F_LA57);
}

/*
 * §4.3 is_noncanonical_msr_address().  The reference gives no width; we check
 * 57 bits when the model enumerates LA57 and 48 otherwise, as WRMSR of an
 * address MSR on hardware checks the widest linear address the CPU supports
 * whatever CR4.LA57 says (KVM does the same for MSRs; UNVERIFIED against the
 * reference).
 */
static bool cet_canonical(const struct cpuid_set *c, uint64_t a)
{
	unsigned int bits = model_has_la57(c) ? 57 : 48;
	uint64_t top = a >> (bits - 1);		/* bits 63:bits-1 must be equal */

	return top == 0 || top == (UINT64_MAX >> (bits - 1));
}

static uint64_t *cet_slot(struct msr_vcpu *v, uint32_t index)
{
	switch (index) {
	case MSR_IA32_U_CET:		return &v->u_cet;
	case MSR_IA32_S_CET:		return &v->s_cet;
	case MSR_IA32_INT_SSP_TAB:	return &v->int_ssp_tab;
	default:			return &v->pl_ssp[index - MSR_IA32_PL0_SSP];
	}
}

/* §4.3 existence: why the guest model lacks this MSR, NULL if it has it. */
static const char *cet_absent(const struct cpuid_set *c, uint32_t index)
{
	if (index == MSR_IA32_U_CET || index == MSR_IA32_S_CET) {
		if (!cpuid_has(c, F_SHSTK) && !cpuid_has(c, F_IBT))
			return "not enumerated by the CPU model (needs CPUID.7.0:ECX[7] SHSTK "
			       "or CPUID.7.0:EDX[20] IBT)";
		return NULL;
	}
	if (!cpuid_has(c, F_SHSTK))
		return "not enumerated by the CPU model (needs CPUID.7.0:ECX[7] SHSTK)";
	if (index == MSR_IA32_INT_SSP_TAB && !cpuid_has(c, F_LM))
		return "not enumerated by the CPU model (needs long mode, "
		       "CPUID.0x80000001:EDX[29] LM)";
	return NULL;
}

/* §4.3 kvm_is_valid_u_s_cet(), clause by clause; NULL if valid. */
static const char *u_s_cet_invalid(const struct cpuid_set *c, uint64_t data)
{
	if (data & CET_RESERVED)
		return "reserved bits 9:6 set";
	if (!cpuid_has(c, F_SHSTK) && (data & (CET_SHSTK_EN | CET_WRSS_EN)))
		return "SHSTK_EN/WRSS_EN (bits 1:0) need CPUID.7.0:ECX[7] SHSTK";
	if (!cpuid_has(c, F_IBT) && (data & (0xfull << 2 | ~0ull << 10)))
		return "bits 5:2 and 63:10 (IBT controls, legacy bitmap) need "
		       "CPUID.7.0:EDX[20] IBT";
	if ((data >> 12) & 3)
		return "legacy bitmap base not 16 KiB aligned (bits 13:12 set)";
	if ((data & CET_SUPPRESS) && (data & CET_WAIT_ENDBR))
		return "SUPPRESS (bit 10) and WAIT_ENDBR (bit 11) both set";
	return NULL;
}

enum msr_status cet_read(const struct msr_vm *vm, struct msr_vcpu *v,
			 uint32_t index, uint64_t *val, enum msr_access who)
{
	const char *why = cet_absent(&vm->cpuid, index);

	if (why) {
		if (who == MSR_GUEST)
			return msr_reject(who, false, index, 0, "%s %s", msr_name(index), why);
		*val = 0;	/* host save of an absent MSR: 0, as KVM */
		return MSR_OK;
	}
	*val = *cet_slot(v, index);
	return MSR_OK;
}

enum msr_status cet_write(const struct msr_vm *vm, struct msr_vcpu *v,
			  uint32_t index, uint64_t val, enum msr_access who)
{
	const char *why = cet_absent(&vm->cpuid, index);
	uint64_t *slot;

	if (why) {
		/* The host may restore 0 into an MSR the model lacks (KVM's rule
		 * for advertised MSRs), nothing else. */
		if (who == MSR_HOST && !val)
			return MSR_OK;
		return msr_reject(who, true, index, val, "%s %s", msr_name(index), why);
	}
	if (index == MSR_IA32_U_CET || index == MSR_IA32_S_CET) {
		why = u_s_cet_invalid(&vm->cpuid, val);
		if (why)
			return msr_reject(who, true, index, val, "%s: %s", msr_name(index), why);
	} else {
		if (!cet_canonical(&vm->cpuid, val))
			return msr_reject(who, true, index, val, "%s: non-canonical address "
					  "(%u-bit)", msr_name(index),
					  model_has_la57(&vm->cpuid) ? 57u : 48u);
		/* Shadow-stack pointers are 4-byte aligned; the table is not. */
		if (index != MSR_IA32_INT_SSP_TAB && (val & 3))
			return msr_reject(who, true, index, val, "%s: not 4-byte aligned",
					  msr_name(index));
	}
	slot = cet_slot(v, index);
	if (*slot != val) {
		*slot = val;
		v->dirty |= MSR_DIRTY_CET;
	}
	return MSR_OK;
}
