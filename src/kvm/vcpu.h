/* SPDX-License-Identifier: MIT */
#ifndef SV_KVM_VCPU_H
#define SV_KVM_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kvm/vm.h"
#include "cpu/cpuid.h"

struct kvm_vcpu {
	int fd;
	unsigned int id;
	struct kvm_run *run;
	int run_size;
};

int kvm_vcpu_create(struct kvm_vm *vm, unsigned int id, struct kvm_vcpu *v);
void kvm_vcpu_destroy(struct kvm_vcpu *v);
int kvm_vcpu_set_cpuid(struct kvm_vcpu *v, const struct cpuid_set *set);
/* What the guest will really see (some KVMs rewrite leaves on set). */
int kvm_vcpu_get_cpuid(struct kvm_vcpu *v, struct cpuid_set *set);
int kvm_vcpu_set_msr(struct kvm_vcpu *v, uint32_t index, uint64_t val);
/* 0 with *ok=false when KVM does not have the MSR. */
int kvm_vcpu_get_msr(struct kvm_vcpu *v, uint32_t index, uint64_t *val, bool *ok);
/* Set then read back: 1 if the value stuck, 0 if KVM dropped or changed it,
 * negative on ioctl failure. */
int kvm_vcpu_load_msr(struct kvm_vcpu *v, uint32_t index, uint64_t val);
int kvm_vcpu_run(struct kvm_vcpu *v);
int kvm_vcpu_get_sregs(struct kvm_vcpu *v, struct kvm_sregs *s);
int kvm_vcpu_set_sregs(struct kvm_vcpu *v, const struct kvm_sregs *s);
int kvm_vcpu_set_regs(struct kvm_vcpu *v, const struct kvm_regs *r);
/* Registers and segments to `f`, for INTERNAL_ERROR / FAIL_ENTRY / triple fault. */
void kvm_vcpu_dump(struct kvm_vcpu *v, FILE *f);

#endif
