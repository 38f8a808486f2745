/* SPDX-License-Identifier: MIT */
#ifndef SV_CPU_GUEST_CPUID_H
#define SV_CPU_GUEST_CPUID_H

/*
 * The CPUID a vCPU is given: a CPU model laid over what the host's KVM
 * supports (KVM_GET_SUPPORTED_CPUID), plus the per-vCPU fields and the
 * specvisor hypervisor leaves.  Pure; the rules are in guest_cpuid.c.
 */

#include <stdbool.h>

#include "cpu/cpuid.h"
#include "cpu/host.h"
#include "cpu/model.h"

struct guest_cpuid_opts {
	unsigned int vcpu_id;	/* APIC ID: 1.EBX[31:24], 0xB/0x1F EDX */
	unsigned int nvcpus;	/* 1.EBX[23:16] and HTT */
	bool virt_msrs;		/* add 0x40000100 "SpecvisorVMM" and 0x40000101 EAX[0] */
	bool amd_arch_cap;	/* AMD models: show 7.0.EDX[29] ARCH_CAPABILITIES (opt-in) */
};

/* m == NULL: the "host" model (host passed through with the same fixes). */
int guest_cpuid_build(const struct cpu_model *m, const struct cpuid_set *host_supported,
		      const struct guest_cpuid_opts *o, struct cpuid_set *out);

/* The model "host": this host's KVM view (managed leaves of the profile,
 * ARCH_CAPABILITIES as KVM reports it), named "host". */
int model_from_host(const struct host_profile *hp, struct cpu_model *m);

#endif
