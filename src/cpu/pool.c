/* SPDX-License-Identifier: MIT */
/*
 * Pool planning (docs/models.md "Pool rules").  libvirt's baseline ANDs every
 * bit; that is wrong for ARCH_CAPABILITIES bits that describe behaviour rather
 * than capability (prior-art §5, §8.1), so each bit has a class
 * (cpu-security-controls.md §2.1 "Pool" column, arch_cap_bits[] in model.c).
 */
#include "cpu/pool.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "msr/msr.h"
#include "msr/msr_index.h"
#include "util/err.h"

/* Leaves a baseline keeps: the managed ones and the CET XSAVE sub-leaves. */
static bool baseline_keeps(const struct cpuid_entry *e)
{
	return cpuid_leaf_managed(e->function, e->index) ||
	       (e->function == 0xd && (e->index == 11 || e->index == 12));
}

static bool sig_lower(const struct host_profile *a, const struct host_profile *b)
{
	uint32_t fa, ma, sa, fb, mb, sb;

	cpu_signature_decode(cpuid_reg(&a->cpuid, 1, 0, CPUID_EAX), &fa, &ma, &sa);
	cpu_signature_decode(cpuid_reg(&b->cpuid, 1, 0, CPUID_EAX), &fb, &mb, &sb);
	if (fa != fb)
		return fa < fb;
	if (ma != mb)
		return ma < mb;
	return sa < sb;
}

/* Append to a bounded text; the text ends in "..." when cut. */
static void cat(char *buf, size_t len, const char *fmt, ...) SV_PRINTF(3, 4);
static void cat(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;
	int w;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	w = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	if (w >= (int)(len - n) && len > 4)
		memcpy(buf + len - 4, "...", 4);
}

static int check_vendors(const struct host_profile *hosts, unsigned int n)
{
	char list[400] = "";
	bool mixed = false;

	for (unsigned int i = 0; i < n; i++) {
		if (hosts[i].vendor != hosts[0].vendor || hosts[i].vendor == VENDOR_UNKNOWN)
			mixed = true;
		cat(list, sizeof(list), "%s%s (%s)", i ? ", " : "", hosts[i].name, cpu_vendor_name(hosts[i].vendor));
	}
	if (mixed)
		return err_set(-EINVAL, "pool baseline: mixed CPU vendors: %s; a guest cannot move between vendors", list);
	return 0;
}

/* A bit some host's KVM cannot present as set: the pool cannot show it. */
static uint32_t unpresentable_set_bits(const struct host_profile *hosts, unsigned int n,
				       uint32_t fn, uint32_t idx, enum cpuid_reg r)
{
	uint32_t m = 0;

	for (unsigned int h = 0; h < n; h++)
		for (unsigned int i = 0; i < hosts[h].nunpresentable; i++) {
			const struct host_cpuid_change *u = &hosts[h].unpresentable[i];

			if (u->function == fn && u->index == idx && u->reg == r && u->wanted && !u->got)
				m |= 1u << u->bit;
		}
	return m;
}

static int baseline_sources(const struct host_profile *hosts, unsigned int n, unsigned int low,
			    struct cpu_model *out, uint64_t acap_and, uint64_t acap_or)
{
	char text[MODEL_TEXT_LEN], key[64];
	int rc;

	text[0] = '\0';
	for (unsigned int h = 0; h < n; h++)
		cat(text, sizeof(text), "%s%s", h ? ", " : "", hosts[h].name);
	rc = model_source_set(out, "note", "pool baseline of %u hosts (%s); rules: docs/models.md", n, text);
	if (!rc)
		rc = model_source_set(out, "signature", "lowest (family, model, stepping) of the pool: host %s, "
				      "%" PRIu32 "/0x%" PRIx32 "/%" PRIu32, hosts[low].name, out->family,
				      out->model, out->stepping);
	for (unsigned int i = 0; !rc && i < out->cpuid.nent; i++) {
		const struct cpuid_entry *e = &out->cpuid.ent[i];

		for (int r = CPUID_EAX; r <= CPUID_EDX && !rc; r++) {
			if (!cpuid_security_bits(e->function, e->index, (enum cpuid_reg)r))
				continue;
			text[0] = '\0';
			for (unsigned int h = 0; h < n; h++)
				cat(text, sizeof(text), "%s%s 0x%08" PRIx32, h ? ", " : "", hosts[h].name,
				    cpuid_reg(&hosts[h].cpuid, e->function, e->index, (enum cpuid_reg)r));
			cpuid_source_key(key, sizeof(key), e->function, e->index, (enum cpuid_reg)r);
			rc = model_source_set(out, key, "AND over the pool's KVM values: %s", text);
		}
	}
	if (rc)
		return rc;
	text[0] = '\0';
	for (unsigned int h = 0; h < n; h++)
		cat(text, sizeof(text), "%s%s 0x%" PRIx64, h ? ", " : "", hosts[h].name, hosts[h].arch_cap);
	return model_source_set(out, "arch_capabilities", "AND of *_NO/capability bits (0x%" PRIx64 "), OR of "
				"RSBA RRSBA FB_CLEAR RFDS_CLEAR (0x%" PRIx64 "), bits KVM never passes dropped; %s",
				acap_and, acap_or, text);
}

int pool_baseline(const struct host_profile *hosts, unsigned int n, struct cpu_model *out,
		  struct pool_plan *plan)
{
	const struct host_profile *lo;
	uint64_t and_v = ~0ull, or_v = 0;
	uint32_t max_basic = ~0u, max_ext = ~0u, top_basic = 0, top_ext = 0, top7 = 0;
	unsigned int low = 0;
	struct cpuid_entry *e;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!n)
		return err_set(-EINVAL, "pool baseline: no hosts given");
	if (n > POOL_MAX_HOSTS)
		return err_set(-E2BIG, "pool baseline: %u hosts, max %d", n, POOL_MAX_HOSTS);
	rc = check_vendors(hosts, n);
	if (rc)
		return rc;
	for (unsigned int h = 0; h < n; h++) {
		if (!cpuid_find(&hosts[h].cpuid, 1, 0))
			return err_set(-EINVAL, "pool baseline: host %s: CPUID leaf 0x1 missing", hosts[h].name);
		/* The oldest signature: guests tune for it, none mistakes it for a newer part. */
		if (sig_lower(&hosts[h], &hosts[low]))
			low = h;
	}
	lo = &hosts[low];

	for (unsigned int i = 0; i < hosts[0].cpuid.nent; i++) {
		struct cpuid_entry ne = hosts[0].cpuid.ent[i];
		bool everywhere = true;

		if (!baseline_keeps(&ne))
			continue;
		for (unsigned int h = 1; h < n; h++)
			if (!cpuid_find(&hosts[h].cpuid, ne.function, ne.index))
				everywhere = false;
		if (!everywhere)
			continue;	/* a leaf some host lacks: hidden (guest_cpuid_build) */
		ne = *cpuid_find(&lo->cpuid, ne.function, ne.index);
		for (int r = CPUID_EAX; r <= CPUID_EDX; r++) {
			uint32_t *v = cpuid_entry_reg(&ne, (enum cpuid_reg)r);

			for (unsigned int h = 0; h < n; h++) {
				uint32_t hv = cpuid_reg(&hosts[h].cpuid, ne.function, ne.index, (enum cpuid_reg)r);

				switch (cpuid_reg_kind(ne.function, ne.index, (enum cpuid_reg)r)) {
				case REG_FEATURE:
					*v &= hv;
					break;
				case REG_ADDR:
					*v = cpuid_bytes_min(*v, hv);
					break;
				case REG_COMPUTED:
					if (ne.function == 0xd && hv > *v)
						*v = hv;	/* an upper bound, made exact below */
					break;
				default:
					break;
				}
			}
			if (cpuid_reg_kind(ne.function, ne.index, (enum cpuid_reg)r) == REG_FEATURE)
				*v &= ~cpuid_dynamic_bits(ne.function, ne.index, (enum cpuid_reg)r) &
				      ~unpresentable_set_bits(hosts, n, ne.function, ne.index, (enum cpuid_reg)r);
		}
		if (ne.function == 1)
			ne.ebx &= 0xffff;	/* the probing CPU's APIC ID and count */
		rc = cpuid_put(&out->cpuid, &ne);
		if (rc)
			return rc;
		if (ne.function < 0x40000000 && ne.function > top_basic)
			top_basic = ne.function;
		if (ne.function >= 0x80000000 && ne.function > top_ext)
			top_ext = ne.function;
		if (ne.function == 7 && ne.index > top7)
			top7 = ne.index;
	}
	for (unsigned int h = 0; h < n; h++) {
		uint32_t b = cpuid_reg(&hosts[h].cpuid, 0, 0, CPUID_EAX);
		uint32_t x = cpuid_reg(&hosts[h].cpuid, 0x80000000, 0, CPUID_EAX);

		max_basic = b < max_basic ? b : max_basic;
		max_ext = x < max_ext ? x : max_ext;
		and_v &= hosts[h].arch_cap;
		or_v |= hosts[h].arch_cap;
	}
	/* Max leaves: what every host has, never below a leaf the model defines. */
	if ((e = cpuid_find_mut(&out->cpuid, 0, 0)))
		e->eax = max_basic > top_basic ? max_basic : top_basic;
	if ((e = cpuid_find_mut(&out->cpuid, 0x80000000, 0)))
		e->eax = max_ext > top_ext ? max_ext : top_ext;
	if ((e = cpuid_find_mut(&out->cpuid, 7, 0)))
		e->eax = top7;
	/* XSAVE size of the components the pool keeps (standard layout). */
	if ((e = cpuid_find_mut(&out->cpuid, 0xd, 0))) {
		uint32_t size = cpuid_xsave_size(&lo->cpuid, e->eax | (uint64_t)e->edx << 32);

		if (size)
			e->ecx = size;
	}

	out->vendor = lo->vendor;
	cpu_signature_decode(cpuid_reg(&lo->cpuid, 1, 0, CPUID_EAX), &out->family, &out->model, &out->stepping);
	if ((e = cpuid_find_mut(&out->cpuid, 1, 0)))
		cpu_signature_encode(out->family, out->model, out->stepping, &e->eax);
	snprintf(out->name, sizeof(out->name), "pool");
	snprintf(out->data_kind, sizeof(out->data_kind), "derived");
	snprintf(out->qemu, sizeof(out->qemu), "%s", cpu_qemu_base(out->vendor, out->family, out->model,
								    out->stepping));
	out->description[0] = '\0';
	cat(out->description, sizeof(out->description), "Pool baseline of %u %s hosts:", n,
	    cpu_vendor_name(out->vendor));
	for (unsigned int h = 0; h < n; h++)
		cat(out->description, sizeof(out->description), " %s", hosts[h].name);

	/* CSC §2.1 Pool column: *_NO and controls need every host; behaviour bits
	 * any host; bits KVM never passes (and unnamed ones) dropped. */
	and_v &= arch_cap_class_mask(ACAP_AND);
	or_v &= arch_cap_class_mask(ACAP_OR);
	out->arch_cap = and_v | or_v;
	if (!cpuid_has(&out->cpuid, F_ARCH_CAPABILITIES))
		out->arch_cap = 0;	/* some host's KVM offers no MSR at all */
	rc = baseline_sources(hosts, n, low, out, and_v, or_v);
	if (rc)
		return err_prefix(rc, "pool baseline");
	rc = model_validate(out);
	if (rc)
		return err_prefix(rc, "pool baseline");
	if (plan) {
		memset(plan, 0, sizeof(*plan));
		plan->nhosts = n;
		for (unsigned int h = 0; h < n; h++)
			pool_plan_host(&hosts[h], &plan->host[h]);
	}
	return 0;
}

void pool_plan_host(const struct host_profile *hp, struct pool_host_plan *p)
{
	struct force_config fc = { .policy = POLICY_GUEST_REQUEST };
	const char *why;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", hp->name);
	host_facts_from_profile(hp, &p->facts);
	for (unsigned int i = 0; i < POOL_NREPORTS; i++)
		forcing_compute(&p->facts, &fc, i, &p->forced[i]);
	forcing_host_needs(&p->facts, SPEC_CTRL_RRSBA_DIS_S, &why);
	snprintf(p->why_rrsba, sizeof(p->why_rrsba), "%s", why);
	forcing_host_needs(&p->facts, SPEC_CTRL_BHI_DIS_S, &why);
	snprintf(p->why_bhi, sizeof(p->why_bhi), "%s", why);
}

static void print_forced(const struct forcing *f, FILE *out)
{
	if (!f->mask) {
		fputs("nothing forced\n", out);
		return;
	}
	for (unsigned int b = 0; b < 64; b++) {
		const char *name = spec_ctrl_bit_name(b);

		if (!(f->mask & (1ull << b)))
			continue;
		if (name)
			fprintf(out, "%s=%d ", name, !!(f->value & (1ull << b)));
		else
			fprintf(out, "bit%u=%d ", b, !!(f->value & (1ull << b)));
	}
	fprintf(out, "(IA32_SPEC_CTRL mask 0x%" PRIx64 " value 0x%" PRIx64 ")\n", f->mask, f->value);
}

void pool_plan_host_print(const struct pool_host_plan *p, FILE *f)
{
	static const char *const report[POOL_NREPORTS] = {
		"neither", "BHB-clearing loop", "retpoline", "both",
	};

	fprintf(f, "host %s:\n", p->name);
	for (unsigned int i = 0; i < POOL_NREPORTS; i++) {
		fprintf(f, "  guest reports %-18s ", report[i]);
		print_forced(&p->forced[i], f);
	}
	fprintf(f, "  RRSBA_DIS_S for retpoline: %s\n", p->why_rrsba);
	fprintf(f, "  BHI_DIS_S for the BHB-clearing loop: %s\n", p->why_bhi);
}

void pool_plan_print(const struct pool_plan *plan, FILE *f)
{
	fputs("Enforcement plan (policy guest-request: IA32_SPEC_CTRL bits specvisor forces on each host,\n"
	      "by the software mitigations the guest reports in MSR 0x50000002):\n", f);
	for (unsigned int h = 0; h < plan->nhosts; h++)
		pool_plan_host_print(&plan->host[h], f);
}

/* ---- pool_check ---------------------------------------------------------- */

static void reason(struct pool_reasons *r, enum pool_reason_kind kind, uint32_t fn, uint32_t idx,
		   enum cpuid_reg reg, unsigned int bit, uint64_t mv, uint64_t hv, const char *fmt, ...)
	SV_PRINTF(9, 10);
static void reason(struct pool_reasons *r, enum pool_reason_kind kind, uint32_t fn, uint32_t idx,
		   enum cpuid_reg reg, unsigned int bit, uint64_t mv, uint64_t hv, const char *fmt, ...)
{
	struct pool_reason *x;
	va_list ap;

	if (r->n >= POOL_MAX_REASONS) {
		r->dropped++;
		return;
	}
	x = &r->r[r->n++];
	x->kind = kind;
	x->function = fn;
	x->index = idx;
	x->reg = reg;
	x->bit = bit;
	x->model_value = mv;
	x->host_value = hv;
	va_start(ap, fmt);
	vsnprintf(x->text, sizeof(x->text), fmt, ap);
	va_end(ap);
}

static void bit_label(char *buf, size_t len, uint32_t fn, uint32_t idx, enum cpuid_reg r, unsigned int bit)
{
	const char *name = cpuid_bit_name(fn, idx, r, bit);

	snprintf(buf, len, "cpuid 0x%" PRIx32 ".%" PRIu32 " %s[%u]%s%s", fn, idx, cpuid_reg_name(r), bit,
		 name ? " " : "", name ? name : "");
}

static void check_cpuid(const struct cpu_model *m, const struct host_profile *hp, struct pool_reasons *r)
{
	for (unsigned int i = 0; i < m->cpuid.nent; i++) {
		const struct cpuid_entry *me = &m->cpuid.ent[i];
		const struct cpuid_entry *he = cpuid_find(&hp->cpuid, me->function, me->index);

		for (int ri = CPUID_EAX; ri <= CPUID_EDX; ri++) {
			enum cpuid_reg reg = (enum cpuid_reg)ri;
			enum cpuid_reg_kind k = cpuid_reg_kind(me->function, me->index, reg);
			uint32_t mv = cpuid_entry_reg_get(me, reg), hv = he ? cpuid_entry_reg_get(he, reg) : 0;
			char label[96];

			if (k == REG_FEATURE) {
				uint32_t miss = mv & ~hv & ~cpuid_dynamic_bits(me->function, me->index, reg);

				for (unsigned int b = 0; b < 32; b++) {
					if (!(miss & (1u << b)))
						continue;
					bit_label(label, sizeof(label), me->function, me->index, reg, b);
					if (he)
						reason(r, POOL_R_CPUID, me->function, me->index, reg, b, mv, hv,
						       "%s: model 1, host 0 (model %s 0x%08" PRIx32 ", host %s 0x%08"
						       PRIx32 "): the host's KVM does not offer it", label,
						       cpuid_reg_name(reg), mv, cpuid_reg_name(reg), hv);
					else
						reason(r, POOL_R_CPUID, me->function, me->index, reg, b, mv, 0,
						       "%s: model 1, host 0 (the host's KVM has no leaf 0x%" PRIx32
						       ".%" PRIu32 ")", label, me->function, me->index);
				}
			} else if (k == REG_ADDR && he) {
				static const char *const what[2] = { "physical", "linear" };

				for (unsigned int b = 0; b < 2; b++) {
					uint32_t x = (mv >> (8 * b)) & 0xff, y = (hv >> (8 * b)) & 0xff;

					if (x > y)
						reason(r, POOL_R_CPUID_VALUE, me->function, me->index, reg, 8 * b, x, y,
						       "cpuid 0x%" PRIx32 ".%" PRIu32 " eax[%u:%u] %s address bits: "
						       "model %" PRIu32 ", host %" PRIu32, me->function, me->index,
						       8 * b + 7, 8 * b, what[b], x, y);
				}
			}
		}
	}
}

static bool is_no_bit(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && !strcmp(name + n - 3, "_NO");
}

/* CSC §2.1 classes, as refusals: a *_NO or capability bit the model claims and
 * the host lacks; a behaviour bit the host has and the model hides; a bit no
 * KVM can give a guest. */
static void check_arch_cap(const struct cpu_model *m, const struct host_profile *hp, struct pool_reasons *r)
{
	uint64_t mv = m->arch_cap, hv = hp->arch_cap;

	if (!cpuid_has(&m->cpuid, F_ARCH_CAPABILITIES))
		return;		/* the guest sees no MSR */
	for (unsigned int b = 0; b < 64; b++) {
		const struct arch_cap_bit *ab = arch_cap_bit_info(b);
		bool mb = mv >> b & 1, hb = hv >> b & 1;

		if (ab && ab->cls == ACAP_AND && mb && !hb)
			reason(r, POOL_R_ARCH_CAP, 0, 0, CPUID_EAX, b, mv, hv,
			       "arch_capabilities[%u] %s: model 1, host 0 (model 0x%" PRIx64 ", host 0x%" PRIx64 "): %s",
			       b, ab->name, mv, hv, is_no_bit(ab->name) ?
			       "the guest would skip a mitigation this host needs" :
			       "the guest would rely on a capability this host lacks");
		else if (ab && ab->cls == ACAP_OR && hb && !mb)
			reason(r, POOL_R_ARCH_CAP, 0, 0, CPUID_EAX, b, mv, hv,
			       "arch_capabilities[%u] %s: model 0, host 1 (model 0x%" PRIx64 ", host 0x%" PRIx64 "): "
			       "the guest would not mitigate behaviour this host has", b, ab->name, mv, hv);
		else if ((!ab || ab->cls == ACAP_NEVER || ab->cls == ACAP_VMM) && mb)
			reason(r, POOL_R_ARCH_CAP, 0, 0, CPUID_EAX, b, mv, hv,
			       "arch_capabilities[%u]%s%s: model 1 (model 0x%" PRIx64 "): KVM never gives this bit "
			       "to a guest", b, ab ? " " : "", ab ? ab->name : "", mv);
	}
}

/* Whether a CPUID reason already names this bit (one reason per bit). */
static bool reason_has_bit(const struct pool_reasons *r, uint32_t fn, uint32_t idx,
			   enum cpuid_reg reg, unsigned int bit)
{
	for (unsigned int i = 0; i < r->n; i++) {
		const struct pool_reason *x = &r->r[i];

		if (x->kind == POOL_R_CPUID && x->function == fn && x->index == idx &&
		    x->reg == reg && x->bit == bit)
			return true;
	}
	return false;
}

int pool_check(const struct cpu_model *m, const struct host_profile *hp, struct pool_reasons *r)
{
	r->n = 0;
	r->dropped = 0;
	if (m->vendor != hp->vendor)
		reason(r, POOL_R_VENDOR, 0, 0, CPUID_EAX, 0, m->vendor, hp->vendor,
		       "vendor: model %s, host %s", cpu_vendor_name(m->vendor), cpu_vendor_name(hp->vendor));
	check_cpuid(m, hp, r);
	check_arch_cap(m, hp, r);
	for (unsigned int i = 0; i < hp->nunpresentable; i++) {
		const struct host_cpuid_change *u = &hp->unpresentable[i];
		const struct cpuid_entry *me = cpuid_find(&m->cpuid, u->function, u->index);
		char label[96];
		uint32_t mv;

		if (!me || u->bit > 31 || u->wanted == u->got)
			continue;
		mv = cpuid_entry_reg_get(me, u->reg);
		if ((mv >> u->bit & 1) != u->wanted ||
		    reason_has_bit(r, u->function, u->index, u->reg, u->bit))
			continue;
		bit_label(label, sizeof(label), u->function, u->index, u->reg, u->bit);
		reason(r, POOL_R_UNPRESENTABLE, u->function, u->index, u->reg, u->bit, u->wanted, u->got,
		       "%s: model %u, but the host's KVM presents %u whatever it is asked", label, u->wanted, u->got);
	}
	return (int)(r->n + r->dropped);
}
