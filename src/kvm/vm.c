/* SPDX-License-Identifier: MIT */
#include "kvm/vm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/err.h"

#ifndef KVM_BUS_LOCK_DETECTION_EXIT
#define KVM_BUS_LOCK_DETECTION_EXIT (1 << 1)
#endif

int kvm_vm_create(const struct kvm_sys *sys, struct kvm_vm *vm)
{
	vm->sys = sys;
	vm->fd = kvm_ioctl(sys->fd, KVM_CREATE_VM, 0);
	return vm->fd < 0 ? vm->fd : 0;
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
	if (vm->fd >= 0)
		close(vm->fd);
	vm->fd = -1;
}

int kvm_vm_check_cap(const struct kvm_vm *vm, long cap)
{
	return kvm_check_cap(vm->fd, cap);
}

int kvm_vm_add_memory(struct kvm_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *host)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot, .guest_phys_addr = gpa, .memory_size = size,
		.userspace_addr = (uint64_t)(uintptr_t)host,
	};

	int rc = kvm_ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r);

	return rc < 0 ? rc : 0;
}

int kvm_vm_create_irqchip(struct kvm_vm *vm)
{
	struct kvm_pit_config pit = { .flags = KVM_PIT_SPEAKER_DUMMY };
	int rc;

	/* The TSS and identity-map pages KVM needs on Intel, placed in the hole
	 * below 4 GiB where no RAM lives. */
	rc = kvm_ioctl(vm->fd, KVM_SET_TSS_ADDR, 0xfffbd000ul);
	if (rc < 0)
		return rc;
	uint64_t idmap = 0xfffbc000ull;

	rc = kvm_ioctl(vm->fd, KVM_SET_IDENTITY_MAP_ADDR, &idmap);
	if (rc < 0)
		return rc;
	rc = kvm_ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0);
	if (rc < 0)
		return rc;
	rc = kvm_ioctl(vm->fd, KVM_CREATE_PIT2, &pit);
	return rc < 0 ? rc : 0;
}

int kvm_vm_irq_line(struct kvm_vm *vm, uint32_t irq, int level)
{
	struct kvm_irq_level l = { .irq = irq, .level = level };

	int rc = kvm_ioctl(vm->fd, KVM_IRQ_LINE, &l);

	return rc < 0 ? rc : 0;
}

int kvm_vm_set_msr_filter(struct kvm_vm *vm, const uint32_t *indices, unsigned int n)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_X86_USER_SPACE_MSR,
		/* FILTER: our denied MSRs; UNKNOWN/INVAL: so that an MSR KVM does not
		 * know also reaches us and gets a #GP we decided, counted. */
		.args[0] = KVM_MSR_EXIT_REASON_FILTER | KVM_MSR_EXIT_REASON_UNKNOWN |
			   KVM_MSR_EXIT_REASON_INVAL,
	};
	struct kvm_msr_filter f = { .flags = KVM_MSR_FILTER_DEFAULT_ALLOW };
	/* A zero bitmap bit means "deny", i.e. exit to us. */
	static uint8_t deny_bitmap[8];
	int rc;

	rc = kvm_ioctl(vm->fd, KVM_ENABLE_CAP, &cap);
	if (rc < 0)
		return rc;
	/* Coalesce consecutive indices (the list is sorted) into ranges. */
	unsigned int nr = 0;

	for (unsigned int i = 0; i < n; i++) {
		struct kvm_msr_filter_range *r = nr ? &f.ranges[nr - 1] : NULL;

		if (r && indices[i] == r->base + r->nmsrs && r->nmsrs < 8 * sizeof(deny_bitmap)) {
			r->nmsrs++;
			continue;
		}
		if (nr == KVM_MSR_FILTER_MAX_RANGES)
			return err_set(-E2BIG, "MSR filter: more than %d ranges", KVM_MSR_FILTER_MAX_RANGES);
		f.ranges[nr++] = (struct kvm_msr_filter_range) {
			.flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE,
			.nmsrs = 1, .base = indices[i], .bitmap = deny_bitmap,
		};
	}
	rc = kvm_ioctl(vm->fd, KVM_X86_SET_MSR_FILTER, &f);
	return rc < 0 ? rc : 0;
}

int kvm_vm_enable_bus_lock_exit(struct kvm_vm *vm)
{
	struct kvm_enable_cap cap = {
		.cap = KVM_CAP_X86_BUS_LOCK_EXIT,
		.args[0] = KVM_BUS_LOCK_DETECTION_EXIT,
	};
	int modes = kvm_vm_check_cap(vm, KVM_CAP_X86_BUS_LOCK_EXIT);

	if (!(modes & KVM_BUS_LOCK_DETECTION_EXIT))
		return err_set(-ENOTSUP, "this host's KVM lacks KVM_CAP_X86_BUS_LOCK_EXIT (bus-lock VM exits)");
	int rc = kvm_ioctl(vm->fd, KVM_ENABLE_CAP, &cap);

	return rc < 0 ? rc : 0;
}
