/* SPDX-License-Identifier: MIT */
/*
 * Which IA32_SPEC_CTRL bits the VMM forces for a guest on this host, and why.
 * The rule is the RFC v3 one (cpu-security-controls.md §3.3), applied per
 * policy (§3.5.4), with an explicit mask/value on top (§3.4's
 * KVM_CAP_FORCE_SPEC_CTRL precedence).
 */
#include "policy/forcing.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "msr/msr.h"
#include "util/err.h"

void host_facts_from_profile(const struct host_profile *hp, struct host_facts *hf)
{
	const struct cpuid_set *c = &hp->cpuid;

	memset(hf, 0, sizeof(*hf));
	hf->arch_cap = hp->arch_cap;
	hf->rrsba_ctrl = cpuid_has(c, F_RRSBA_CTRL);
	hf->bhi_ctrl = cpuid_has(c, F_BHI_CTRL);
	/* What KVM will load for this host, judged like a guest model (§1.6). */
	hf->spec_ctrl_supported = spec_ctrl_valid_mask(c);
	hf->ibpb = cpuid_has(c, F_SPEC_CTRL) || cpuid_has(c, F_AMD_IBPB);
	hf->sbpb = cpuid_has(c, F_AMD_SBPB);
	hf->l1d_flush = cpuid_has(c, F_L1D_FLUSH);
}

/*
 * §3.3: does this host need (and can it apply) the hardware control that
 * backs the guest's software mitigation?  RRSBA_DIS_S where retpoline is not
 * enough (host enumerates RRSBA) and the host can disable it (RRSBA_CTRL);
 * BHI_DIS_S where the short BHB loop is not enough (no BHI_NO) and the host
 * has it (BHI_CTRL).  The bit must also be one the host loads at all.
 */
bool forcing_host_needs(const struct host_facts *hf, uint64_t bit, const char **why)
{
	const char *w;
	bool need = false;

	if (bit == SPEC_CTRL_RRSBA_DIS_S) {
		if (!hf->rrsba_ctrl)
			w = "host lacks RRSBA_CTRL (CPUID.7.2:EDX[2])";
		else if (!(hf->arch_cap & ARCH_CAP_RRSBA))
			w = "host does not enumerate RRSBA (ARCH_CAPABILITIES[19])";
		else if (!(hf->spec_ctrl_supported & bit))
			w = "host does not load RRSBA_DIS_S";
		else {
			w = "host has RRSBA_CTRL and enumerates RRSBA";
			need = true;
		}
	} else if (bit == SPEC_CTRL_BHI_DIS_S) {
		if (!hf->bhi_ctrl)
			w = "host lacks BHI_CTRL (CPUID.7.2:EDX[4])";
		else if (hf->arch_cap & ARCH_CAP_BHI_NO)
			w = "host enumerates BHI_NO (ARCH_CAPABILITIES[20])";
		else if (!(hf->spec_ctrl_supported & bit))
			w = "host does not load BHI_DIS_S";
		else {
			w = "host has BHI_CTRL and lacks BHI_NO";
			need = true;
		}
	} else {
		w = "no forcing rule for this bit";
	}
	if (why)
		*why = w;
	return need;
}

/* One §3.3 rule: software mitigation reported in MITIGATION_CTRL -> the
 * SPEC_CTRL bit that makes it sufficient. */
static const struct {
	uint64_t used;		/* MITI_CTRL_* */
	const char *used_name;
	uint64_t bit;		/* SPEC_CTRL_* forced to 1 */
} forcing_rules[] = {
	{ MITI_CTRL_BHB_CLEAR_SEQ_S_USED, "BHB_CLEAR_SEQ_S_USED", SPEC_CTRL_BHI_DIS_S },
	{ MITI_CTRL_RETPOLINE_S_USED, "RETPOLINE_S_USED", SPEC_CTRL_RRSBA_DIS_S },
};
#define NRULES (sizeof(forcing_rules) / sizeof(forcing_rules[0]))

static void reason_add(struct forcing *out, uint64_t bit, const char *fmt, ...)
	SV_PRINTF(3, 4);
static void reason_add(struct forcing *out, uint64_t bit, const char *fmt, ...)
{
	struct force_reason *r;
	va_list ap;

	if (out->nreasons >= FORCE_MAX_REASONS)
		return;
	r = &out->reasons[out->nreasons++];
	r->bit = bit;
	va_start(ap, fmt);
	vsnprintf(r->text, sizeof(r->text), fmt, ap);
	va_end(ap);
}

static unsigned int bit_index(uint64_t bit)
{
	unsigned int i = 0;

	while (i < 63 && !(bit & (1ull << i)))
		i++;
	return i;
}

static void bit_label(uint64_t bit, char *buf, size_t len)
{
	const char *n = spec_ctrl_bit_name(bit_index(bit));

	if (n)
		snprintf(buf, len, "%s", n);
	else
		snprintf(buf, len, "bit%u", bit_index(bit));
}

void forcing_compute(const struct host_facts *hf, const struct force_config *fc,
		     uint64_t miti_ctrl, struct forcing *out)
{
	uint64_t pol = 0, emask = 0, evalue = 0;
	const char *rule_why[NRULES] = { 0 };
	unsigned int rule_of[64];

	/* Whole struct, padding and unused reasons too: vCPU state is compared
	 * and serialised byte for byte. */
	memset(out, 0, sizeof(*out));
	memset(rule_of, 0xff, sizeof(rule_of));

	for (unsigned int i = 0; i < NRULES; i++) {
		bool wanted;

		switch (fc->policy) {
		case POLICY_GUEST_REQUEST:
			wanted = miti_ctrl & forcing_rules[i].used;
			break;
		case POLICY_ALWAYS:
			wanted = true;
			break;
		default:
			wanted = false;
			break;
		}
		if (wanted && forcing_host_needs(hf, forcing_rules[i].bit, &rule_why[i])) {
			pol |= forcing_rules[i].bit;
			rule_of[bit_index(forcing_rules[i].bit)] = i;
		}
	}

	/*
	 * Explicit --force-spec-ctrl wins for the bits in its mask, in either
	 * direction (§3.3: "KVM_CAP_FORCE_SPEC_CTRL takes precedence").  Bits
	 * this host cannot load, or undefined ones, are dropped: forcing them
	 * to 0 changes nothing, forcing them to 1 is refused earlier by
	 * force_config_check().
	 */
	if (fc->explicit_set) {
		emask = fc->explicit_mask & hf->spec_ctrl_supported & SPEC_CTRL_DEFINED;
		evalue = fc->explicit_value & emask;
	}
	out->mask = emask | (pol & ~emask);
	out->value = evalue | (pol & ~emask);

	for (unsigned int b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;
		char name[16];

		if (!(out->mask & bit))
			continue;
		bit_label(bit, name, sizeof(name));
		if (emask & bit) {
			reason_add(out, bit, "%s: forced to %d by --force-spec-ctrl 0x%llx:0x%llx "
				   "(explicit, overrides the policy%s)", name, !!(evalue & bit),
				   (unsigned long long)fc->explicit_mask,
				   (unsigned long long)fc->explicit_value,
				   (pol & bit) ? ", which would force it to 1" : "");
		} else if (fc->policy == POLICY_ALWAYS) {
			unsigned int i = rule_of[b];

			reason_add(out, bit, "%s: policy always; %s (§3.3, §3.5)", name,
				   rule_why[i]);
		} else {
			unsigned int i = rule_of[b];

			reason_add(out, bit, "%s: guest reports %s; %s (§3.3)", name,
				   forcing_rules[i].used_name, rule_why[i]);
		}
	}
}

/*
 * What MITIGATION_ENUM tells the guest the VMM supports (§3.1).  Intel's RFC
 * advertised a bit where KVM could force the matching control on *this* host
 * (BHI_CTRL, RRSBA_CTRL).  The guest reads the value once, at boot, and may be
 * migrated anywhere in the pool afterwards; a guest booted on a host without
 * BHI_CTRL would then never report its short BHB loop, and a later host that
 * needs BHI_DIS_S could not force it.  So the value depends on the VM's
 * configuration only, never on the host: both bits unless the VMM will never
 * act on the report (policy off, or the bit pinned to 0 explicitly); an
 * explicit force to 1 is always a supported mitigation.  Where a host does not
 * need the control (§3.3 conditions false) the report is simply recorded.
 */
uint64_t forcing_mitigation_enum(const struct host_facts *hf, const struct force_config *fc)
{
	static const struct { uint64_t ctl, miti; } map[] = {
		{ SPEC_CTRL_BHI_DIS_S, MITI_ENUM_BHB_CLEAR_SEQ_S_SUPPORT },
		{ SPEC_CTRL_RRSBA_DIS_S, MITI_ENUM_RETPOLINE_S_SUPPORT },
	};
	uint64_t e = 0;

	(void)hf;
	for (unsigned int i = 0; i < 2; i++) {
		bool on = fc->policy == POLICY_GUEST_REQUEST || fc->policy == POLICY_ALWAYS;

		if (fc->explicit_set && (fc->explicit_mask & map[i].ctl))
			on = fc->explicit_value & map[i].ctl;
		if (on)
			e |= map[i].miti;
	}
	return e;
}

static const char *const policy_names[] = {
	[POLICY_GUEST_REQUEST] = "guest-request",
	[POLICY_ALWAYS] = "always",
	[POLICY_OFF] = "off",
};

int policy_parse(const char *s, enum mitigation_policy *p)
{
	for (unsigned int i = 0; i < sizeof(policy_names) / sizeof(policy_names[0]); i++) {
		if (s && !strcmp(s, policy_names[i])) {
			*p = (enum mitigation_policy)i;
			return 0;
		}
	}
	return err_set(-EINVAL, "unknown mitigation policy '%s' (want guest-request, always "
		       "or off)", s ? s : "");
}

const char *policy_name(enum mitigation_policy p)
{
	if ((unsigned int)p < sizeof(policy_names) / sizeof(policy_names[0]))
		return policy_names[p];
	return "?";
}

/* One unsigned 64-bit number: 0x-prefixed hex or decimal, nothing else (no
 * sign, no octal, no trailing text, no overflow). */
static int u64_parse(const char *s, size_t n, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	size_t i = 0;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == n)
		return -EINVAL;
	for (; i < n; i++) {
		unsigned int d;
		char ch = s[i];

		if (ch >= '0' && ch <= '9')
			d = (unsigned int)(ch - '0');
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = (unsigned int)(ch - 'a' + 10);
		else if (base == 16 && ch >= 'A' && ch <= 'F')
			d = (unsigned int)(ch - 'A' + 10);
		else
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int force_spec_ctrl_parse(const char *s, struct force_config *fc)
{
	const char *colon = s ? strchr(s, ':') : NULL;
	uint64_t mask, value;

	if (!colon)
		return err_set(-EINVAL, "--force-spec-ctrl '%s': want MASK:VALUE", s ? s : "");
	if (u64_parse(s, (size_t)(colon - s), &mask))
		return err_set(-EINVAL, "--force-spec-ctrl '%s': bad MASK (0x-hex or decimal)", s);
	if (u64_parse(colon + 1, strlen(colon + 1), &value))
		return err_set(-EINVAL, "--force-spec-ctrl '%s': bad VALUE (0x-hex or decimal)", s);
	if (value & ~mask)
		return err_set(-EINVAL, "--force-spec-ctrl '%s': VALUE bits 0x%llx are not in MASK",
			       s, (unsigned long long)(value & ~mask));
	fc->explicit_set = true;
	fc->explicit_mask = mask;
	fc->explicit_value = value;
	return 0;
}

/*
 * Explicit bits must be defined SPEC_CTRL bits (catches typos); bits forced to
 * 1 must be ones this host loads, else the guest would silently lack them.
 * Forcing a bit the host lacks to 0 is accepted: it is what the host does
 * anyway, and one command line then works on every host of a pool.
 */
int force_config_check(const struct force_config *fc, const struct host_facts *hf)
{
	char buf[128];
	uint64_t bad;

	if (!fc->explicit_set)
		return 0;
	if (fc->explicit_value & ~fc->explicit_mask)
		return err_set(-EINVAL, "--force-spec-ctrl: VALUE bits 0x%llx are not in MASK",
			       (unsigned long long)(fc->explicit_value & ~fc->explicit_mask));
	bad = fc->explicit_mask & ~SPEC_CTRL_DEFINED;
	if (bad)
		return err_set(-EINVAL, "--force-spec-ctrl: bits 0x%llx are not defined "
			       "IA32_SPEC_CTRL bits (defined: 0x%llx)", (unsigned long long)bad,
			       (unsigned long long)SPEC_CTRL_DEFINED);
	bad = fc->explicit_value & ~hf->spec_ctrl_supported;
	if (bad)
		return err_set(-EINVAL, "--force-spec-ctrl: cannot force %s (0x%llx) to 1: not "
			       "supported by this host (host supports 0x%llx)",
			       spec_ctrl_bits_format(bad, buf, sizeof(buf)),
			       (unsigned long long)bad,
			       (unsigned long long)hf->spec_ctrl_supported);
	return 0;
}
