/* SPDX-License-Identifier: MIT */
/*
 * IA32_ARCH_CAPABILITIES (0x10a, §2): model data, the same on every host of
 * the pool, plus bit 63 VIRTUAL_ENUM when the virtual MSRs are offered (§3.1).
 */
#include "msr/msr_internal.h"

/*
 * §2.2: the guest may read it iff its CPUID has 7.0:EDX[29]; the caller's
 * arch_cap_exposed adds the AMD opt-in (§2.3).  Bit 63 is ours to set: it says
 * MSR 0x50000000 exists (§3.1, §3.5.1), so it follows virt_msrs exactly.
 */
void arch_cap_init(struct msr_vm *vm)
{
	if (!cpuid_has(&vm->cpuid, F_ARCH_CAPABILITIES))
		vm->arch_cap_exposed = false;
	vm->arch_cap &= ~ARCH_CAP_VIRTUAL_ENUM;
	if (vm->virt_msrs && vm->arch_cap_exposed)
		vm->arch_cap |= ARCH_CAP_VIRTUAL_ENUM;
}

enum msr_status arch_cap_read(const struct msr_vm *vm, uint64_t *val, enum msr_access who)
{
	if (who == MSR_GUEST && !vm->arch_cap_exposed)
		return msr_reject(who, false, MSR_IA32_ARCH_CAPABILITIES, 0,
				  "IA32_ARCH_CAPABILITIES not enumerated by the CPU model "
				  "(needs CPUID.7.0:EDX[29]; on AMD models it is opt-in)");
	*val = vm->arch_cap;
	return MSR_OK;
}

/*
 * Guest: read-only (§2.2).  Host: KVM accepts any value and only freezes it
 * once the vCPU has run (§2.2); for us the value is part of the CPU model,
 * identical on every host of the pool, so it is immutable from the start.  A
 * restore carrying another value comes from a VM with another model (or
 * another virt_msrs setting, bit 63): refuse it rather than let the guest's
 * view change under it.  Writing the configured value back is a no-op.
 */
enum msr_status arch_cap_write(const struct msr_vm *vm, uint64_t val, enum msr_access who)
{
	if (who == MSR_GUEST)
		return msr_reject(who, true, MSR_IA32_ARCH_CAPABILITIES, val,
				  "IA32_ARCH_CAPABILITIES is read-only");
	if (val != vm->arch_cap)
		return msr_reject(who, true, MSR_IA32_ARCH_CAPABILITIES, val,
				  "IA32_ARCH_CAPABILITIES is fixed by the CPU model to 0x%llx "
				  "(differing bits 0x%llx): the saved state is from another model",
				  (unsigned long long)vm->arch_cap,
				  (unsigned long long)(val ^ vm->arch_cap));
	return MSR_OK;
}
