/* SPDX-License-Identifier: MIT */
#ifndef SV_MSR_MSR_H
#define SV_MSR_MSR_H

/*
 * The security-control MSR layer: pure rules, no KVM.  The KVM layer routes
 * every filtered RDMSR/WRMSR exit (and every host-initiated get/set, e.g. on
 * restore) through msr_read()/msr_write(); the rules judge accesses against the
 * CPUID the guest really sees (read back from KVM), never against the host.
 * Sections cited are of shared/reference/cpu-security-controls.md.
 */

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpuid.h"
#include "msr/msr_index.h"
#include "policy/forcing.h"

enum msr_access { MSR_GUEST, MSR_HOST };

enum msr_status {
	MSR_OK = 0,
	MSR_GP = 1,		/* guest: inject #GP; host: reject (err_msg() says why) */
	MSR_UNHANDLED = 2,	/* not an MSR of this layer */
};

/* Per-VM configuration, fixed once the vCPUs exist. */
struct msr_vm {
	struct cpuid_set cpuid;		/* guest CPUID as read back from KVM */
	bool arch_cap_exposed;		/* 0x10a readable (CPUID.7.0:EDX[29] and, on AMD, opted in) */
	uint64_t arch_cap;		/* the model's value; VIRTUAL_ENUM added by msr_vm_init */
	bool virt_msrs;			/* 0x50000000-2 offered (§3) */
	bool hv_leaf;			/* also enumerated by CPUID 0x40000101 EAX[0] */
	struct host_facts host;
	struct force_config force;
	uint64_t xss_supported;		/* IA32_XSS bits the guest may set (§4.1) */
};

/* Per-vCPU state; every field is migratable. */
struct msr_vcpu {
	uint64_t spec_ctrl;		/* guest-visible shadow: last accepted write */
	uint64_t spec_ctrl_eff;		/* value in force: (shadow & ~mask) | (value & mask), host bits only */
	struct forcing forcing;		/* current forced mask/value with reasons */
	uint64_t miti_ctrl;		/* MSR_VIRTUAL_MITIGATION_CTRL */
	uint64_t xss;
	uint64_t u_cet, s_cet;
	uint64_t pl_ssp[4];
	uint64_t int_ssp_tab;
	unsigned int dirty;		/* MSR_DIRTY_* : state the KVM layer must push */
	uint64_t nreads, nwrites, ngp;	/* counters for --report */
};

#define MSR_DIRTY_SPEC_CTRL	(1u << 0)	/* spec_ctrl_eff changed */
#define MSR_DIRTY_CET		(1u << 1)	/* a CET MSR or XSS changed */

/* Fill derived fields (VIRTUAL_ENUM in arch_cap, xss_supported) from cpuid/flags. */
void msr_vm_init(struct msr_vm *vm);
/* vCPU RESET: zero state, MITIGATION_CTRL cleared (§3.2), forcing recomputed. */
void msr_vcpu_reset(const struct msr_vm *vm, struct msr_vcpu *v);

enum msr_status msr_read(const struct msr_vm *vm, struct msr_vcpu *v,
			 uint32_t index, uint64_t *val, enum msr_access who);
enum msr_status msr_write(const struct msr_vm *vm, struct msr_vcpu *v,
			  uint32_t index, uint64_t val, enum msr_access who);

/* The MSRs this layer owns: the KVM layer denies them in the MSR filter so
 * every access exits to userspace. */
extern const uint32_t msr_layer_indices[];
extern const unsigned int msr_layer_count;
bool msr_layer_owns(uint32_t index);
const char *msr_name(uint32_t index);

/* SPEC_CTRL rules (§1.2, §1.6), also used on host CPUID to get host_facts. */
bool spec_ctrl_exists(const struct cpuid_set *c);
uint64_t spec_ctrl_valid_mask(const struct cpuid_set *c);

#endif
