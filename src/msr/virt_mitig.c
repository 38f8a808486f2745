/* SPDX-License-Identifier: MIT */
/*
 * The virtual MSRs 0x50000000-0x50000002 (§3.1, §3.2): the guest learns that
 * the VMM deploys hardware mitigations on request and reports which software
 * mitigations it uses; every report recomputes the forced SPEC_CTRL bits
 * (§3.3).  The #GP rules are those of the RFC v3 KVM patches; Intel's own text
 * was not available (§3.1: UNVERIFIED against Intel's spec).
 */
#include "msr/msr_internal.h"

/*
 * §3.2 gates guest reads of 0x50000000 on ARCH_CAPABILITIES[63].  Our
 * vendor-neutral leaf CPUID.0x40000101:EAX[0] (docs/guest-interface.md) is a
 * second way to discover it, for guests (AMD) that see no ARCH_CAPABILITIES.
 */
static bool virt_enum_discoverable(const struct msr_vm *vm)
{
	if (!vm->virt_msrs)
		return false;
	return (vm->arch_cap_exposed && (vm->arch_cap & ARCH_CAP_VIRTUAL_ENUM)) ||
	       vm->hv_leaf;
}

static bool miti_ctrl_supported(const struct msr_vcpu *v)
{
	return v->virt_enum & VIRT_ENUM_MITIGATION_CTRL_SUPPORT;
}

void virt_mitig_recompute(const struct msr_vm *vm, struct msr_vcpu *v)
{
	forcing_compute(&vm->host, &vm->force, v->miti_ctrl, &v->forcing);
	spec_ctrl_update(vm, v);
}

/* §3.2: MITIGATION_CTRL is cleared on vCPU reset; the two enumeration MSRs
 * return to the VM's configuration. */
void virt_mitig_reset(const struct msr_vm *vm, struct msr_vcpu *v)
{
	v->virt_enum = vm->virt_msrs ? VIRT_ENUM_MITIGATION_CTRL_SUPPORT : 0;
	v->miti_enum = vm->virt_msrs ? vm->miti_enum & MITI_ENUM_DEFINED : 0;
	v->miti_ctrl = 0;
	virt_mitig_recompute(vm, v);
}

enum msr_status virt_mitig_read(const struct msr_vm *vm, struct msr_vcpu *v,
				uint32_t index, uint64_t *val, enum msr_access who)
{
	switch (index) {
	case MSR_VIRTUAL_ENUMERATION:
		if (who == MSR_GUEST && !virt_enum_discoverable(vm))
			return msr_reject(who, false, index, 0,
					  "MSR_VIRTUAL_ENUMERATION not enumerated (needs "
					  "IA32_ARCH_CAPABILITIES[63] VIRTUAL_ENUM or "
					  "CPUID.0x40000101:EAX[0])");
		*val = v->virt_enum;
		return MSR_OK;
	case MSR_VIRTUAL_MITIGATION_ENUM:
	case MSR_VIRTUAL_MITIGATION_CTRL:
		if (who == MSR_GUEST && !miti_ctrl_supported(v))
			return msr_reject(who, false, index, 0,
					  "%s not enumerated (needs MSR_VIRTUAL_ENUMERATION[0] "
					  "MITIGATION_CTRL_SUPPORT)", msr_name(index));
		*val = index == MSR_VIRTUAL_MITIGATION_ENUM ? v->miti_enum : v->miti_ctrl;
		return MSR_OK;
	default:
		return MSR_UNHANDLED;
	}
}

static uint64_t virt_mitig_defined(uint32_t index)
{
	switch (index) {
	case MSR_VIRTUAL_ENUMERATION:	return VIRT_ENUM_DEFINED;
	case MSR_VIRTUAL_MITIGATION_ENUM: return MITI_ENUM_DEFINED;
	default:			return MITI_CTRL_DEFINED;
	}
}

enum msr_status virt_mitig_write(const struct msr_vm *vm, struct msr_vcpu *v,
				 uint32_t index, uint64_t val, enum msr_access who)
{
	uint64_t resv = val & ~virt_mitig_defined(index);

	if (who == MSR_GUEST) {
		/* §3.2: the two enumeration MSRs are read-only for the guest. */
		if (index != MSR_VIRTUAL_MITIGATION_CTRL)
			return msr_reject(who, true, index, val, "%s is read-only",
					  msr_name(index));
		if (!miti_ctrl_supported(v))
			return msr_reject(who, true, index, val,
					  "MSR_VIRTUAL_MITIGATION_CTRL not enumerated (needs "
					  "MSR_VIRTUAL_ENUMERATION[0] MITIGATION_CTRL_SUPPORT)");
	}
	/* §3.2: reserved bits fault for the guest and are refused for the host. */
	if (resv)
		return msr_reject(who, true, index, val, "reserved bits 0x%llx set in %s",
				  (unsigned long long)resv, msr_name(index));
	/*
	 * Host writes are state restore (§3.2: host R/W).  Any defined value is
	 * taken, so the guest keeps the view it booted with when it moves to a
	 * host whose defaults differ; but a VM not offering the interface cannot
	 * have non-zero state in it.
	 */
	if (who == MSR_HOST && val && !vm->virt_msrs)
		return msr_reject(who, true, index, val,
				  "this VM does not offer the virtual MSRs (0x50000000-2)");

	switch (index) {
	case MSR_VIRTUAL_ENUMERATION:
		v->virt_enum = val;
		break;
	case MSR_VIRTUAL_MITIGATION_ENUM:
		v->miti_enum = val;
		break;
	default:
		/* §3.3: every write, guest or host, recomputes the forcing. */
		v->miti_ctrl = val;
		virt_mitig_recompute(vm, v);
		break;
	}
	return MSR_OK;
}
