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
#include <stddef.h>
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
	uint64_t miti_enum;		/* MITIGATION_ENUM a vCPU gets at reset; msr_vm_init
					 * sets forcing_mitigation_enum() (docs/guest-interface.md) */
};

/* Per-vCPU state; every field is migratable. */
struct msr_vcpu {
	uint64_t spec_ctrl;		/* guest-visible shadow: last accepted write */
	uint64_t spec_ctrl_eff;		/* value in force: (shadow & ~mask) | (value & mask), host bits only */
	struct forcing forcing;		/* current forced mask/value with reasons */
	uint64_t miti_ctrl;		/* MSR_VIRTUAL_MITIGATION_CTRL */
	uint64_t virt_enum;		/* MSR_VIRTUAL_ENUMERATION (host-writable, §3.2) */
	uint64_t miti_enum;		/* MSR_VIRTUAL_MITIGATION_ENUM (host-writable, §3.2) */
	uint64_t xss;
	uint64_t u_cet, s_cet;
	uint64_t pl_ssp[4];
	uint64_t int_ssp_tab;
	unsigned int dirty;		/* MSR_DIRTY_* : state the KVM layer must push */
	uint64_t nreads, nwrites, ngp;	/* guest accesses only; kept across reset */
};

#define MSR_DIRTY_SPEC_CTRL	(1u << 0)	/* spec_ctrl_eff changed */
#define MSR_DIRTY_CET		(1u << 1)	/* a CET MSR or XSS changed */

/* Fill derived fields (VIRTUAL_ENUM in arch_cap, xss_supported, miti_enum)
 * from cpuid/flags.  Also normalises: arch_cap_exposed needs CPUID.7.0:EDX[29]
 * in vm->cpuid, hv_leaf needs virt_msrs. */
void msr_vm_init(struct msr_vm *vm);
/* New vCPU: everything zeroed (counters too), then msr_vcpu_reset(). */
void msr_vcpu_init(const struct msr_vm *vm, struct msr_vcpu *v);
/* vCPU RESET: zero state, MITIGATION_CTRL cleared (§3.2), VIRTUAL_ENUMERATION
 * and MITIGATION_ENUM back to the VM's values, forcing recomputed.  Counters
 * are kept.  Sets MSR_DIRTY_SPEC_CTRL|MSR_DIRTY_CET: KVM's own reset zeroes
 * these MSRs, but forced bits may make the effective SPEC_CTRL non-zero. */
void msr_vcpu_reset(const struct msr_vm *vm, struct msr_vcpu *v);
/* Recompute forcing and the effective SPEC_CTRL after vm->host or vm->force
 * changed (policy change, restore on another host).  Dirty if it changed. */
void msr_vcpu_refresh(const struct msr_vm *vm, struct msr_vcpu *v);

/*
 * A rejected access (MSR_GP) changes no state except the counters.  For the
 * write-only command MSRs (IA32_PRED_CMD, IA32_FLUSH_CMD) MSR_OK with a
 * non-zero value means "execute it": the KVM layer forwards that write to KVM
 * from the vCPU thread; the layer keeps no state for them.
 *
 * Host accesses to an MSR the guest model lacks (CET, XSS, the virtual MSRs)
 * follow KVM: reads return 0 and writes of 0 succeed, so a generic save/restore
 * needs no per-model list; non-zero writes are rejected.
 */
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
/* "IBRS", "BHI_DIS_S", ...; NULL for reserved bits. */
const char *spec_ctrl_bit_name(unsigned int bit);
/* "IBRS|BHI_DIS_S|bit9" into buf ("0" for none); returns buf. */
char *spec_ctrl_bits_format(uint64_t bits, char *buf, size_t len);

#endif
