/* SPDX-License-Identifier: MIT */
#ifndef SV_KVM_KVM_H
#define SV_KVM_KVM_H

/*
 * Thin KVM plumbing.  Every ioctl goes through kvm_ioctl(), which on failure
 * records "<IOCTL NAME>: <strerror>" (plus context added by the caller) in the
 * one error style of util/err.h and returns -errno.
 */

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>

#include "cpu/cpuid.h"

int kvm_ioctl_named(int fd, unsigned long req, void *arg, const char *name);
#define kvm_ioctl(fd, req, arg) kvm_ioctl_named((fd), (req), (void *)(arg), #req)

/* A one-entry KVM_GET/SET_MSRS argument: struct kvm_msrs ends in a flexible
 * array, which cannot be embedded portably, so mirror its layout. */
struct kvm_msrs_one {
	uint32_t nmsrs, pad;
	struct kvm_msr_entry e;
};
_Static_assert(__builtin_offsetof(struct kvm_msrs_one, e) == __builtin_offsetof(struct kvm_msrs, entries),
	       "struct kvm_msrs_one must mirror struct kvm_msrs");

struct kvm_sys {
	int fd;			/* /dev/kvm */
	int vcpu_mmap_size;
};

/* Opens /dev/kvm and checks the API version and the capabilities specvisor
 * cannot run without, naming the first one missing. */
int kvm_sys_open(struct kvm_sys *k, const char *path);
void kvm_sys_close(struct kvm_sys *k);
int kvm_sys_check_cap(const struct kvm_sys *k, long cap);
/* KVM_CHECK_EXTENSION on any KVM fd (system or VM): the value, 0 for no. */
int kvm_check_cap(int fd, long cap);
/* KVM_GET_SUPPORTED_CPUID into a cpuid_set. */
int kvm_sys_supported_cpuid(const struct kvm_sys *k, struct cpuid_set *out);
/* Feature MSR (system scope): 0 and *ok=false when KVM does not list it. */
int kvm_sys_feature_msr(const struct kvm_sys *k, uint32_t index, uint64_t *val, bool *ok);
/* The list of feature MSR indices (KVM_GET_MSR_FEATURE_INDEX_LIST). */
int kvm_sys_feature_msr_list(const struct kvm_sys *k, uint32_t *out, unsigned int max, unsigned int *n);

/* KVM_GET_SUPPORTED_CPUID or KVM_GET_CPUID2 on fd, into a cpuid_set. */
int kvm_cpuid_get(int fd, unsigned long req, const char *name, struct cpuid_set *out);
/* cpuid_set <-> struct kvm_cpuid2 */
struct kvm_cpuid2 *kvm_cpuid2_from_set(const struct cpuid_set *set);
void kvm_cpuid2_to_set(const struct kvm_cpuid2 *c, struct cpuid_set *set);

#endif
