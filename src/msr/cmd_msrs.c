/* SPDX-License-Identifier: MIT */
/*
 * The write-only command MSRs IA32_PRED_CMD (0x49, §1.4) and IA32_FLUSH_CMD
 * (0x10b, §1.5).  They hold no state: an accepted non-zero write is a command
 * the KVM layer forwards to KVM, which executes it on this host's CPU.
 */
#include "msr/msr_internal.h"

/* §1.2 guest_has_pred_cmd_msr(): SPEC_CTRL || AMD_IBPB || SBPB. */
static bool pred_cmd_exists(const struct cpuid_set *c)
{
	return cpuid_has(c, F_SPEC_CTRL) || cpuid_has(c, F_AMD_IBPB) ||
	       cpuid_has(c, F_AMD_SBPB);
}

/* §1.4, in KVM's order: existence and model bits for the guest only, host
 * hardware bits for everyone, then a write of 0 is a no-op. */
enum msr_status pred_cmd_write(const struct msr_vm *vm, uint64_t val, enum msr_access who)
{
	uint64_t model_resv = 0, host_resv = 0, bad;
	char why[400];
	size_t pos = 0;

	if (who == MSR_GUEST) {
		if (!pred_cmd_exists(&vm->cpuid))
			return msr_reject(who, true, MSR_IA32_PRED_CMD, val,
					  "IA32_PRED_CMD not enumerated by the CPU model (needs "
					  "CPUID.7.0:EDX[26] SPEC_CTRL, 0x80000008:EBX[12] AMD_IBPB "
					  "or 0x80000021:EAX[27] SBPB)");
		if (!cpuid_has(&vm->cpuid, F_SPEC_CTRL) && !cpuid_has(&vm->cpuid, F_AMD_IBPB))
			model_resv |= PRED_CMD_IBPB;
		if (!cpuid_has(&vm->cpuid, F_AMD_SBPB))
			model_resv |= PRED_CMD_SBPB;
	}
	if (!vm->host.ibpb)
		host_resv |= PRED_CMD_IBPB;
	if (!vm->host.sbpb)
		host_resv |= PRED_CMD_SBPB;

	bad = val & ~(PRED_CMD_IBPB | PRED_CMD_SBPB);
	if (bad)
		msr_buf_add(why, sizeof(why), &pos, "reserved bits 0x%llx set (only bit 0 IBPB "
			    "and bit 7 SBPB are defined)", (unsigned long long)bad);
	if (val & model_resv & PRED_CMD_IBPB)
		msr_buf_add(why, sizeof(why), &pos, "%sbit 0 IBPB not enumerated by the CPU "
			    "model (needs SPEC_CTRL or AMD_IBPB)", pos ? "; " : "");
	if (val & model_resv & PRED_CMD_SBPB)
		msr_buf_add(why, sizeof(why), &pos, "%sbit 7 SBPB not enumerated by the CPU "
			    "model (needs 0x80000021:EAX[27] SBPB)", pos ? "; " : "");
	if (val & host_resv & ~model_resv & PRED_CMD_IBPB)
		msr_buf_add(why, sizeof(why), &pos, "%sbit 0 IBPB: this host has no IBPB",
			    pos ? "; " : "");
	if (val & host_resv & ~model_resv & PRED_CMD_SBPB)
		msr_buf_add(why, sizeof(why), &pos, "%sbit 7 SBPB: this host has no SBPB",
			    pos ? "; " : "");
	if (pos)
		return msr_reject(who, true, MSR_IA32_PRED_CMD, val, "%s", why);
	return MSR_OK;		/* 0: nothing to do; else the KVM layer issues it */
}

/* §1.5: existence for the guest; the host must have the MSR even for a write
 * of 0 (KVM checks boot_cpu_has(FLUSH_L1D) before the value); only bit 0. */
enum msr_status flush_cmd_write(const struct msr_vm *vm, uint64_t val, enum msr_access who)
{
	if (who == MSR_GUEST && !cpuid_has(&vm->cpuid, F_L1D_FLUSH))
		return msr_reject(who, true, MSR_IA32_FLUSH_CMD, val,
				  "IA32_FLUSH_CMD not enumerated by the CPU model "
				  "(needs CPUID.7.0:EDX[28] L1D_FLUSH)");
	if (!vm->host.l1d_flush)
		return msr_reject(who, true, MSR_IA32_FLUSH_CMD, val,
				  "this host has no IA32_FLUSH_CMD (host CPUID.7.0:EDX[28] clear)");
	if (val & ~FLUSH_CMD_L1D)
		return msr_reject(who, true, MSR_IA32_FLUSH_CMD, val,
				  "reserved bits 0x%llx set (only bit 0 L1D_FLUSH is defined)",
				  (unsigned long long)(val & ~FLUSH_CMD_L1D));
	return MSR_OK;
}
