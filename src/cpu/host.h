/* SPDX-License-Identifier: MIT */
#ifndef SV_CPU_HOST_H
#define SV_CPU_HOST_H

/*
 * A host profile: what one host's KVM can give a guest.  Produced by
 * `specvisor host probe` (src/cpu/host_probe.c, the only part touching KVM) or
 * written by hand for other hosts; read by the pool planner and by
 * `run --host-profile`.
 */

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpuid.h"
#include "cpu/model.h"

#define HOST_MAX_FEATURE_MSRS 64
#define HOST_MAX_UNPRESENTABLE 64
#define HOST_MAX_SOURCES 32

struct host_msr { uint32_t index; uint64_t value; };

/* A CPUID bit this host's KVM will not present as set (or as clear). */
struct host_cpuid_change {
	uint32_t function, index;
	enum cpuid_reg reg;
	uint8_t bit;
	uint8_t wanted, got;
};

struct host_caps {
	bool msr_filter;		/* KVM_CAP_X86_MSR_FILTER */
	bool user_space_msr;		/* KVM_CAP_X86_USER_SPACE_MSR */
	bool bus_lock_exit;		/* KVM_CAP_X86_BUS_LOCK_EXIT with EXIT mode */
	bool spec_ctrl_loadable;	/* KVM_SET_MSRS(0x48) reads back what was set */
	bool cet_loadable;		/* KVM supports guest CET state */
	bool arch_cap_settable;		/* host write of 0x10a accepted and read back */
};

struct host_profile {
	char name[64];			/* hostname or file name */
	char kernel[128];		/* uname -r */
	uint64_t microcode;		/* 0 when unreadable */
	bool microcode_known;
	enum cpu_vendor vendor;
	struct cpuid_set cpuid;		/* KVM_GET_SUPPORTED_CPUID */
	uint64_t arch_cap;		/* feature MSR 0x10a as KVM reports it */
	unsigned int nmsrs;
	struct host_msr msrs[HOST_MAX_FEATURE_MSRS];	/* all feature MSRs KVM lists */
	struct host_caps caps;
	unsigned int nunpresentable;
	struct host_cpuid_change unpresentable[HOST_MAX_UNPRESENTABLE];
	/* Where the values come from (hand-made profiles; docs/models.md). */
	unsigned int nsources;
	struct model_source sources[HOST_MAX_SOURCES];
};

#endif
