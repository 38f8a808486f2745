/* SPDX-License-Identifier: MIT */
#ifndef SV_POLICY_FORCING_H
#define SV_POLICY_FORCING_H

/*
 * Which IA32_SPEC_CTRL bits the VMM forces for a guest on this host, and why
 * (cpu-security-controls.md §3.3, §3.5).  Pure: host facts + policy + what the
 * guest reported in MSR_VIRTUAL_MITIGATION_CTRL -> forced mask/value + reasons.
 */

#include <stdbool.h>
#include <stdint.h>

#include "cpu/host.h"

enum mitigation_policy {
	POLICY_GUEST_REQUEST,	/* Intel's semantics: force what the guest's reports need */
	POLICY_ALWAYS,		/* force whatever this host needs, whatever the guest says */
	POLICY_OFF,		/* never force (explicit --force-spec-ctrl still applies) */
};

/* What the forcing rules need to know about the host that runs the guest. */
struct host_facts {
	uint64_t arch_cap;		/* host IA32_ARCH_CAPABILITIES */
	bool rrsba_ctrl;		/* host CPUID.7.2:EDX[2] */
	bool bhi_ctrl;			/* host CPUID.7.2:EDX[4] */
	uint64_t spec_ctrl_supported;	/* SPEC_CTRL bits the host accepts */
	bool ibpb;			/* host IBPB: 7.0:EDX[26] or 0x80000008:EBX[12] (§1.4) */
	bool sbpb;			/* host SBPB: 0x80000021:EAX[27] (§1.4) */
	bool l1d_flush;			/* host IA32_FLUSH_CMD: 7.0:EDX[28] (§1.5) */
};

struct force_config {
	enum mitigation_policy policy;
	bool explicit_set;		/* --force-spec-ctrl MASK:VALUE given */
	uint64_t explicit_mask;
	uint64_t explicit_value;	/* subset of explicit_mask */
};

/* One reason per forced bit: at most the ten defined SPEC_CTRL bits (§1.1),
 * with room for bit 9 should it ever be defined. */
#define FORCE_MAX_REASONS 11

struct force_reason {
	uint64_t bit;			/* the SPEC_CTRL bit forced */
	char text[200];			/* rule and host fact, one line */
};

struct forcing {
	uint64_t mask;			/* bits the guest cannot change */
	uint64_t value;			/* their values (subset of mask) */
	unsigned int nreasons;
	struct force_reason reasons[FORCE_MAX_REASONS];
};

void host_facts_from_profile(const struct host_profile *hp, struct host_facts *hf);

/* §3.3 host condition for SPEC_CTRL_RRSBA_DIS_S or SPEC_CTRL_BHI_DIS_S: true
 * if this host needs and can load the bit; *why (if non-NULL) gets a static
 * one-line explanation either way (for `pool check` / query-mitigations). */
bool forcing_host_needs(const struct host_facts *hf, uint64_t bit, const char **why);

/* Recompute the forcing for a guest whose MITIGATION_CTRL is miti_ctrl. */
void forcing_compute(const struct host_facts *hf, const struct force_config *fc,
		     uint64_t miti_ctrl, struct forcing *out);

/* Which mitigations MITIGATION_ENUM advertises on this host (§3.1, §3.2). */
uint64_t forcing_mitigation_enum(const struct host_facts *hf, const struct force_config *fc);

int policy_parse(const char *s, enum mitigation_policy *p);
const char *policy_name(enum mitigation_policy p);
/* "MASK:VALUE" (hex or decimal); VALUE must be a subset of MASK. */
int force_spec_ctrl_parse(const char *s, struct force_config *fc);
/* Explicit forced bits must be ones the host supports; -EINVAL with message otherwise. */
int force_config_check(const struct force_config *fc, const struct host_facts *hf);

#endif
