/* SPDX-License-Identifier: MIT */
/*
 * The MSR layer's front: VM/vCPU setup, the list of owned MSRs, and the
 * read/write dispatch with counters.  The rules live one concern per file.
 */
#include "msr/msr_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const uint32_t msr_layer_indices[] = {
	MSR_IA32_SPEC_CTRL,
	MSR_IA32_PRED_CMD,
	MSR_IA32_ARCH_CAPABILITIES,
	MSR_IA32_FLUSH_CMD,
	MSR_IA32_U_CET,
	MSR_IA32_S_CET,
	MSR_IA32_PL0_SSP,
	MSR_IA32_PL1_SSP,
	MSR_IA32_PL2_SSP,
	MSR_IA32_PL3_SSP,
	MSR_IA32_INT_SSP_TAB,
	MSR_IA32_XSS,
	MSR_VIRTUAL_ENUMERATION,
	MSR_VIRTUAL_MITIGATION_ENUM,
	MSR_VIRTUAL_MITIGATION_CTRL,
};
const unsigned int msr_layer_count = sizeof(msr_layer_indices) / sizeof(msr_layer_indices[0]);

bool msr_layer_owns(uint32_t index)
{
	for (unsigned int i = 0; i < msr_layer_count; i++)
		if (msr_layer_indices[i] == index)
			return true;
	return false;
}

const char *msr_name(uint32_t index)
{
	switch (index) {
	case MSR_IA32_SPEC_CTRL:		return "IA32_SPEC_CTRL";
	case MSR_IA32_PRED_CMD:			return "IA32_PRED_CMD";
	case MSR_IA32_ARCH_CAPABILITIES:	return "IA32_ARCH_CAPABILITIES";
	case MSR_IA32_FLUSH_CMD:		return "IA32_FLUSH_CMD";
	case MSR_IA32_U_CET:			return "IA32_U_CET";
	case MSR_IA32_S_CET:			return "IA32_S_CET";
	case MSR_IA32_PL0_SSP:			return "IA32_PL0_SSP";
	case MSR_IA32_PL1_SSP:			return "IA32_PL1_SSP";
	case MSR_IA32_PL2_SSP:			return "IA32_PL2_SSP";
	case MSR_IA32_PL3_SSP:			return "IA32_PL3_SSP";
	case MSR_IA32_INT_SSP_TAB:		return "IA32_INT_SSP_TAB";
	case MSR_IA32_XSS:			return "IA32_XSS";
	case MSR_VIRTUAL_ENUMERATION:		return "MSR_VIRTUAL_ENUMERATION";
	case MSR_VIRTUAL_MITIGATION_ENUM:	return "MSR_VIRTUAL_MITIGATION_ENUM";
	case MSR_VIRTUAL_MITIGATION_CTRL:	return "MSR_VIRTUAL_MITIGATION_CTRL";
	default:				return "unknown MSR";
	}
}

void msr_buf_add(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*pos + 1 >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	*pos += (size_t)n < len - *pos ? (size_t)n : len - *pos - 1;
}

enum msr_status msr_reject(enum msr_access who, bool write, uint32_t index,
			   uint64_t val, const char *fmt, ...)
{
	char why[448];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (write)
		err_set(-EINVAL, "%s 0x%x value 0x%llx: %s",
			who == MSR_GUEST ? "guest WRMSR" : "host write", index,
			(unsigned long long)val, why);
	else
		err_set(-EINVAL, "%s 0x%x: %s", who == MSR_GUEST ? "guest RDMSR" : "host read",
			index, why);
	return MSR_GP;
}

void msr_vm_init(struct msr_vm *vm)
{
	if (!vm->virt_msrs)
		vm->hv_leaf = false;		/* the leaf advertises the MSRs */
	arch_cap_init(vm);
	vm->xss_supported = xss_supported_mask(&vm->cpuid);
	vm->miti_enum = vm->virt_msrs ? forcing_mitigation_enum(&vm->host, &vm->force) : 0;
}

void msr_vcpu_reset(const struct msr_vm *vm, struct msr_vcpu *v)
{
	uint64_t nreads = v->nreads, nwrites = v->nwrites, ngp = v->ngp;

	memset(v, 0, sizeof(*v));
	v->nreads = nreads;
	v->nwrites = nwrites;
	v->ngp = ngp;
	/* Forced bits may make the value in force non-zero after RESET. */
	virt_mitig_reset(vm, v);
	v->dirty = MSR_DIRTY_SPEC_CTRL | MSR_DIRTY_CET;
}

void msr_vcpu_init(const struct msr_vm *vm, struct msr_vcpu *v)
{
	memset(v, 0, sizeof(*v));
	msr_vcpu_reset(vm, v);
}

void msr_vcpu_refresh(const struct msr_vm *vm, struct msr_vcpu *v)
{
	virt_mitig_recompute(vm, v);
}

static bool is_cet(uint32_t index)
{
	return index == MSR_IA32_U_CET || index == MSR_IA32_S_CET ||
	       (index >= MSR_IA32_PL0_SSP && index <= MSR_IA32_INT_SSP_TAB);
}

static bool is_virt(uint32_t index)
{
	return index >= MSR_VIRTUAL_ENUMERATION && index <= MSR_VIRTUAL_MITIGATION_CTRL;
}

static enum msr_status msr_do_read(const struct msr_vm *vm, struct msr_vcpu *v,
				   uint32_t index, uint64_t *val, enum msr_access who)
{
	switch (index) {
	case MSR_IA32_SPEC_CTRL:
		return spec_ctrl_read(vm, v, val, who);
	case MSR_IA32_PRED_CMD:
	case MSR_IA32_FLUSH_CMD:
		/* §1.4, §1.5: KVM handles no read of the command MSRs. */
		return msr_reject(who, false, index, 0, "%s is write-only", msr_name(index));
	case MSR_IA32_ARCH_CAPABILITIES:
		return arch_cap_read(vm, val, who);
	case MSR_IA32_XSS:
		return xss_read(vm, v, val, who);
	default:
		if (is_cet(index))
			return cet_read(vm, v, index, val, who);
		if (is_virt(index))
			return virt_mitig_read(vm, v, index, val, who);
		err_set(-ENOENT, "MSR 0x%x is not handled by the security-control layer", index);
		return MSR_UNHANDLED;
	}
}

static enum msr_status msr_do_write(const struct msr_vm *vm, struct msr_vcpu *v,
				    uint32_t index, uint64_t val, enum msr_access who)
{
	switch (index) {
	case MSR_IA32_SPEC_CTRL:
		return spec_ctrl_write(vm, v, val, who);
	case MSR_IA32_PRED_CMD:
		return pred_cmd_write(vm, val, who);
	case MSR_IA32_FLUSH_CMD:
		return flush_cmd_write(vm, val, who);
	case MSR_IA32_ARCH_CAPABILITIES:
		return arch_cap_write(vm, val, who);
	case MSR_IA32_XSS:
		return xss_write(vm, v, val, who);
	default:
		if (is_cet(index))
			return cet_write(vm, v, index, val, who);
		if (is_virt(index))
			return virt_mitig_write(vm, v, index, val, who);
		err_set(-ENOENT, "MSR 0x%x is not handled by the security-control layer", index);
		return MSR_UNHANDLED;
	}
}

/* Counters count guest accesses (the exits --report is about); host
 * save/restore traffic is not counted. */
static enum msr_status msr_count(struct msr_vcpu *v, enum msr_status st,
				 enum msr_access who, bool write)
{
	if (who != MSR_GUEST || st == MSR_UNHANDLED)
		return st;
	if (write)
		v->nwrites++;
	else
		v->nreads++;
	if (st == MSR_GP)
		v->ngp++;
	return st;
}

enum msr_status msr_read(const struct msr_vm *vm, struct msr_vcpu *v,
			 uint32_t index, uint64_t *val, enum msr_access who)
{
	uint64_t out = 0;
	enum msr_status st = msr_do_read(vm, v, index, &out, who);

	/* *val is written only on success, so a failed read leaves it alone. */
	if (st == MSR_OK)
		*val = out;
	return msr_count(v, st, who, false);
}

enum msr_status msr_write(const struct msr_vm *vm, struct msr_vcpu *v,
			  uint32_t index, uint64_t val, enum msr_access who)
{
	return msr_count(v, msr_do_write(vm, v, index, val, who), who, true);
}
