/* SPDX-License-Identifier: MIT */
/*
 * Guest CPUID construction.  Start from what the host's KVM supports, so the
 * topology, cache and KVM paravirt leaves stay as KVM made them; every leaf
 * the model defines replaces the host's.  In a feature register the model's
 * security bits are taken exactly (the model is the pool contract; pool_check
 * refuses hosts that cannot honour it), other bits only where the host has
 * them too: a guest must never see an instruction the host lacks.
 */
#include "cpu/guest_cpuid.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "cpu/host.h"
#include "msr/msr_index.h"
#include "util/err.h"

static uint32_t combine(const struct cpuid_entry *me, const struct cpuid_entry *he, enum cpuid_reg r)
{
	uint32_t mv = cpuid_entry_reg_get(me, r), hv = he ? cpuid_entry_reg_get(he, r) : 0;
	uint32_t sec, dyn;

	switch (cpuid_reg_kind(me->function, me->index, r)) {
	case REG_FEATURE:
		sec = cpuid_security_bits(me->function, me->index, r);
		dyn = cpuid_dynamic_bits(me->function, me->index, r);
		return ((mv & sec) | (mv & hv & ~sec)) & ~dyn;
	case REG_ADDR:
		/* A guest must not address more than the host can (MAXPHYADDR). */
		return he ? cpuid_bytes_min(mv, hv) : mv;
	case REG_HOST:
		return he ? hv : mv;
	default:
		return mv;
	}
}

static int put_leaf(struct cpuid_set *s, uint32_t fn, uint32_t eax, uint32_t ebx, uint32_t ecx, uint32_t edx)
{
	struct cpuid_entry e = { .function = fn, .eax = eax, .ebx = ebx, .ecx = ecx, .edx = edx };

	return cpuid_put(s, &e);
}

/*
 * Brand string, CPUID 0x80000002-0x80000004 (48 bytes, NUL-terminated).  A
 * named model must not show the host's brand (the guest's view would change
 * on migration), so it gets one naming the model; the host model keeps the
 * host's, or gets one if the host's KVM offers none.
 */
static int put_brand(struct cpuid_set *s, const struct cpu_model *m)
{
	char brand[48] = { 0 };
	uint32_t w[12];
	int rc = 0;
	const struct cpuid_entry *h = cpuid_find(s, 0x80000002, 0);

	if (!m && h && (h->eax | h->ebx | h->ecx | h->edx))
		return 0;
	snprintf(brand, sizeof(brand), "specvisor %.27s CPU model", m ? m->name : "host");
	memcpy(w, brand, sizeof(w));
	for (uint32_t i = 0; i < 3 && !rc; i++)
		rc = put_leaf(s, 0x80000002 + i, w[4 * i], w[4 * i + 1], w[4 * i + 2], w[4 * i + 3]);
	return rc;
}

static void fix_max_leaves(struct cpuid_set *s)
{
	uint32_t max_basic = 0, max_ext = 0;
	struct cpuid_entry *e;

	for (unsigned int i = 0; i < s->nent; i++) {
		uint32_t fn = s->ent[i].function;

		if (fn < 0x40000000 && fn > max_basic)
			max_basic = fn;
		if (fn >= 0x80000000 && fn < 0x90000000 && fn > max_ext)
			max_ext = fn;
	}
	e = cpuid_find_mut(s, 0, 0);
	if (e)
		e->eax = max_basic;
	e = cpuid_find_mut(s, 0x80000000, 0);
	if (e)
		e->eax = max_ext;
}

static int apply_model(const struct cpu_model *m, const struct cpuid_set *host, struct cpuid_set *out)
{
	struct cpuid_entry *e;
	uint64_t keep;
	int rc;

	/* Managed leaves the model leaves out are hidden, so that every host of a
	 * pool shows the same (e.g. a Zen 2 model on a Zen 4 host: no 0x80000021). */
	for (unsigned int i = out->nent; i-- > 0;) {
		const struct cpuid_entry *h = &out->ent[i];

		if (cpuid_leaf_managed(h->function, h->index) && !cpuid_find(&m->cpuid, h->function, h->index))
			cpuid_remove(out, h->function, h->index);
	}
	for (unsigned int i = 0; i < m->cpuid.nent; i++) {
		const struct cpuid_entry *me = &m->cpuid.ent[i];
		struct cpuid_entry ge = *me;

		for (int r = CPUID_EAX; r <= CPUID_EDX; r++)
			*cpuid_entry_reg(&ge, (enum cpuid_reg)r) =
				combine(me, cpuid_find(host, me->function, me->index), (enum cpuid_reg)r);
		rc = cpuid_put(out, &ge);
		if (rc)
			return rc;
	}
	/* XSAVE components the guest does not have: drop their sub-leaves. */
	e = cpuid_find_mut(out, 0xd, 0);
	keep = e ? (e->eax | (uint64_t)e->edx << 32) : 0;
	e = cpuid_find_mut(out, 0xd, 1);
	if (e)
		keep |= e->ecx | (uint64_t)e->edx << 32;
	for (unsigned int i = out->nent; i-- > 0;) {
		const struct cpuid_entry *x = &out->ent[i];

		if (x->function == 0xd && x->index >= 2 && (x->index >= 64 || !(keep & (1ull << x->index))))
			cpuid_remove(out, 0xd, x->index);
	}
	return 0;
}

int guest_cpuid_build(const struct cpu_model *m, const struct cpuid_set *host_supported,
		      const struct guest_cpuid_opts *o, struct cpuid_set *out)
{
	enum cpu_vendor vendor = m ? m->vendor : cpuid_vendor(host_supported);
	unsigned int n = o->nvcpus ? o->nvcpus : 1;
	struct cpuid_entry *e;
	uint32_t size;
	int rc;

	*out = *host_supported;
	if (m) {
		rc = apply_model(m, host_supported, out);
		if (rc)
			return err_prefix(rc, "CPU model %s", m->name);
	}
	e = cpuid_find_mut(out, 1, 0);
	if (!e)
		return err_set(-EINVAL, "guest CPUID: leaf 0x1 missing (neither model nor host has it)");
	e->ecx &= ~cpuid_dynamic_bits(1, 0, CPUID_ECX);
	e->ecx |= 1u << 31;				/* HYPERVISOR */
	e->ebx = (e->ebx & 0xffff) | (n > 0xff ? 0xffu : n) << 16 | (o->vcpu_id & 0xff) << 24;
	if (n > 1)
		e->edx |= 1u << 28;			/* HTT: 1.EBX[23:16] is valid */
	else
		e->edx &= ~(1u << 28);
	e = cpuid_find_mut(out, 7, 0);
	if (e)
		e->ecx &= ~cpuid_dynamic_bits(7, 0, CPUID_ECX);
	for (unsigned int i = 0; i < out->nent; i++)
		if (out->ent[i].function == 0xb || out->ent[i].function == 0x1f)
			out->ent[i].edx = o->vcpu_id;	/* x2APIC ID */
	/* KVM sets 7.0.EDX[29] on every host, but Windows guests crash on it on
	 * AMD (prior-art §1.1, §9.5): opt-in there. */
	if (vendor == VENDOR_AMD) {
		rc = cpuid_set_feature(out, F_ARCH_CAPABILITIES, o->amd_arch_cap);
		if (rc)
			return rc;
	}
	/* Guest-visible XSAVE size from the components actually enabled. */
	e = cpuid_find_mut(out, 0xd, 0);
	size = e ? cpuid_xsave_size(out, e->eax | (uint64_t)e->edx << 32) : 0;
	if (size)
		e->ecx = size;
	cpuid_remove(out, SPECVISOR_CPUID_BASE, 0);
	cpuid_remove(out, SPECVISOR_CPUID_FEATURES, 0);
	if (o->virt_msrs) {
		uint32_t sig[3];

		memcpy(sig, SPECVISOR_SIGNATURE, sizeof(sig));	/* "Spec" "viso" "rVMM", little-endian */
		rc = put_leaf(out, SPECVISOR_CPUID_BASE, SPECVISOR_CPUID_FEATURES, sig[0], sig[1], sig[2]);
		if (!rc)
			rc = put_leaf(out, SPECVISOR_CPUID_FEATURES, SPECVISOR_FEAT_VIRT_MITIG_MSRS, 0, 0, 0);
		if (rc)
			return rc;
	}
	rc = put_brand(out, m);
	if (rc)
		return rc;
	fix_max_leaves(out);
	return 0;
}

/* The leaves a model keeps from a host: the managed ones plus the CET XSAVE
 * sub-leaves (0xD.11, 0xD.12; CSC §4.1). */
static bool model_keeps(const struct cpuid_entry *e)
{
	return cpuid_leaf_managed(e->function, e->index) ||
	       (e->function == 0xd && (e->index == 11 || e->index == 12));
}

int model_from_host(const struct host_profile *hp, struct cpu_model *m)
{
	struct cpuid_entry *e;
	int rc;

	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "host");
	snprintf(m->description, sizeof(m->description), "This host's KVM view (profile %.60s, kernel %.60s)",
		 hp->name, hp->kernel[0] ? hp->kernel : "unknown");
	m->vendor = hp->vendor;
	snprintf(m->data_kind, sizeof(m->data_kind), "kvm");
	for (unsigned int i = 0; i < hp->cpuid.nent; i++) {
		if (!model_keeps(&hp->cpuid.ent[i]))
			continue;
		rc = cpuid_put(&m->cpuid, &hp->cpuid.ent[i]);
		if (rc)
			return rc;
	}
	e = cpuid_find_mut(&m->cpuid, 1, 0);
	if (!e)
		return err_set(-EINVAL, "host profile %s: CPUID leaf 0x1 missing", hp->name);
	cpu_signature_decode(e->eax, &m->family, &m->model, &m->stepping);
	/* Keep only the signature fields (processor type and reserved bits out). */
	cpu_signature_encode(m->family, m->model, m->stepping, &e->eax);
	e->ebx &= 0xffff;			/* the probing CPU's APIC ID and count */
	e->ecx &= ~cpuid_dynamic_bits(1, 0, CPUID_ECX);
	e->edx &= ~cpuid_dynamic_bits(1, 0, CPUID_EDX);
	e = cpuid_find_mut(&m->cpuid, 7, 0);
	if (e && (e->edx & (1u << 29)))
		m->arch_cap = hp->arch_cap & ~ARCH_CAP_VIRTUAL_ENUM;
	snprintf(m->qemu, sizeof(m->qemu), "%s", cpu_qemu_base(m->vendor, m->family, m->model, m->stepping));
	rc = model_source_set(m, "note", "KVM_GET_SUPPORTED_CPUID and feature MSR 0x10a of host profile %s",
			      hp->name);
	if (rc)
		return rc;
	rc = model_validate(m);
	if (rc)
		return err_prefix(rc, "host profile %s", hp->name);
	return 0;
}
