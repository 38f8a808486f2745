/* SPDX-License-Identifier: MIT */
#ifndef SV_MSR_INTERNAL_H
#define SV_MSR_INTERNAL_H

/*
 * Private to src/msr: one read/write pair per concern, dispatched by msr.c.
 * Every handler judges the access against vm->cpuid (the guest's CPU model)
 * and, where the reference says so, against vm->host (this host's facts).
 */

#include "msr/msr.h"
#include "util/err.h"

/* Record "guest WRMSR 0x48 value 0x400: <why>" (or "host read 0x49: <why>")
 * with err_set() and return MSR_GP. */
enum msr_status msr_reject(enum msr_access who, bool write, uint32_t index,
			   uint64_t val, const char *fmt, ...) SV_PRINTF(5, 6);

/* Bounded printf-append to buf at *pos; truncates silently (one-line
 * messages). */
void msr_buf_add(char *buf, size_t len, size_t *pos, const char *fmt, ...) SV_PRINTF(4, 5);

/* spec_ctrl.c */
enum msr_status spec_ctrl_read(const struct msr_vm *vm, struct msr_vcpu *v,
			       uint64_t *val, enum msr_access who);
enum msr_status spec_ctrl_write(const struct msr_vm *vm, struct msr_vcpu *v,
				uint64_t val, enum msr_access who);
/* Re-derive spec_ctrl_eff from the shadow and v->forcing. */
void spec_ctrl_update(const struct msr_vm *vm, struct msr_vcpu *v);

/* cmd_msrs.c */
enum msr_status pred_cmd_write(const struct msr_vm *vm, uint64_t val, enum msr_access who);
enum msr_status flush_cmd_write(const struct msr_vm *vm, uint64_t val, enum msr_access who);

/* arch_cap.c */
enum msr_status arch_cap_read(const struct msr_vm *vm, uint64_t *val, enum msr_access who);
enum msr_status arch_cap_write(const struct msr_vm *vm, uint64_t val, enum msr_access who);
void arch_cap_init(struct msr_vm *vm);

/* virt_mitig.c */
enum msr_status virt_mitig_read(const struct msr_vm *vm, struct msr_vcpu *v,
				uint32_t index, uint64_t *val, enum msr_access who);
enum msr_status virt_mitig_write(const struct msr_vm *vm, struct msr_vcpu *v,
				 uint32_t index, uint64_t val, enum msr_access who);
void virt_mitig_reset(const struct msr_vm *vm, struct msr_vcpu *v);
/* Recompute v->forcing from v->miti_ctrl and re-derive the effective value. */
void virt_mitig_recompute(const struct msr_vm *vm, struct msr_vcpu *v);

/* xss.c */
uint64_t xss_supported_mask(const struct cpuid_set *c);
enum msr_status xss_read(const struct msr_vm *vm, struct msr_vcpu *v,
			 uint64_t *val, enum msr_access who);
enum msr_status xss_write(const struct msr_vm *vm, struct msr_vcpu *v,
			  uint64_t val, enum msr_access who);

/* cet.c */
enum msr_status cet_read(const struct msr_vm *vm, struct msr_vcpu *v,
			 uint32_t index, uint64_t *val, enum msr_access who);
enum msr_status cet_write(const struct msr_vm *vm, struct msr_vcpu *v,
			  uint32_t index, uint64_t val, enum msr_access who);

#endif
