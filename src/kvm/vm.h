/* SPDX-License-Identifier: MIT */
#ifndef SV_KVM_VM_H
#define SV_KVM_VM_H

#include <stdbool.h>
#include <stdint.h>

#include "kvm/kvm.h"

struct kvm_vm {
	int fd;
	const struct kvm_sys *sys;
};

int kvm_vm_create(const struct kvm_sys *sys, struct kvm_vm *vm);
void kvm_vm_destroy(struct kvm_vm *vm);
int kvm_vm_check_cap(const struct kvm_vm *vm, long cap);
int kvm_vm_add_memory(struct kvm_vm *vm, uint32_t slot, uint64_t gpa, uint64_t size, void *host);
/* In-kernel LAPIC/IOAPIC/PIC and PIT (PRODUCT.md "Boot and devices"). */
int kvm_vm_create_irqchip(struct kvm_vm *vm);
int kvm_vm_irq_line(struct kvm_vm *vm, uint32_t irq, int level);
/* Userspace exits for filtered MSRs, and a default-allow filter denying
 * `indices` so that every guest access to them exits (§3.5 of the reference). */
int kvm_vm_set_msr_filter(struct kvm_vm *vm, const uint32_t *indices, unsigned int n);
/* KVM_CAP_X86_BUS_LOCK_EXIT in exit mode; -ENOTSUP (message names the cap) if
 * the host cannot: KVM_ENABLE_CAP would succeed silently (§5.1). */
int kvm_vm_enable_bus_lock_exit(struct kvm_vm *vm);

#endif
