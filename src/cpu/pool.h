/* SPDX-License-Identifier: MIT */
#ifndef SV_CPU_POOL_H
#define SV_CPU_POOL_H

/*
 * Pool planning: one CPU model for a set of hosts (baseline), per host what
 * the VMM would force in IA32_SPEC_CTRL (the enforcement plan), and whether a
 * model can run on a host, with every reason when not (pool_check gates live
 * migration).  Pure.  Rules and their reasons: docs/models.md.
 */

#include <stdint.h>
#include <stdio.h>

#include "cpu/host.h"
#include "cpu/model.h"
#include "policy/forcing.h"

#define POOL_MAX_HOSTS 64
/* Enough for every bit of every register a model can define plus the MSR. */
#define POOL_MAX_REASONS 1024

/* The four guest reports the plan covers (MSR_VIRTUAL_MITIGATION_CTRL). */
#define POOL_NREPORTS 4		/* index: MITI_CTRL_BHB_CLEAR_SEQ_S_USED | MITI_CTRL_RETPOLINE_S_USED bits */

struct pool_host_plan {
	char name[64];
	struct host_facts facts;
	struct forcing forced[POOL_NREPORTS];	/* [miti_ctrl] */
	char why_rrsba[120], why_bhi[120];	/* forcing_host_needs() for each rule */
};

struct pool_plan {
	unsigned int nhosts;
	struct pool_host_plan host[POOL_MAX_HOSTS];
};

enum pool_reason_kind {
	POOL_R_VENDOR,		/* model and host vendors differ */
	POOL_R_CPUID,		/* a CPUID bit the host's KVM does not offer */
	POOL_R_CPUID_VALUE,	/* a CPUID value field (address sizes) the host cannot match */
	POOL_R_ARCH_CAP,	/* an IA32_ARCH_CAPABILITIES bit rule */
	POOL_R_UNPRESENTABLE,	/* KVM on the host cannot present a bit as the model wants */
};

struct pool_reason {
	enum pool_reason_kind kind;
	uint32_t function, index;	/* CPUID leaf (CPUID kinds) */
	enum cpuid_reg reg;
	unsigned int bit;		/* CPUID or ARCH_CAPABILITIES bit */
	uint64_t model_value, host_value;	/* the register / MSR values compared */
	char text[224];			/* one line naming all of the above */
};

struct pool_reasons {
	unsigned int n;			/* reasons stored */
	unsigned int dropped;		/* reasons beyond POOL_MAX_REASONS (never in practice) */
	struct pool_reason r[POOL_MAX_REASONS];
};

/*
 * The baseline of n hosts (all of one vendor): CPUID feature bits ANDed,
 * ARCH_CAPABILITIES by class (AND the *_NO and capability bits, OR RSBA,
 * RRSBA, FB_CLEAR, RFDS_CLEAR, drop bits KVM never passes), the signature of
 * the host with the lowest (family, model, stepping).  plan may be NULL.
 * Mixed vendors: -EINVAL naming every host and its vendor.
 */
int pool_baseline(const struct host_profile *hosts, unsigned int n, struct cpu_model *out,
		  struct pool_plan *plan);

/* The enforcement plan alone (policy guest-request, each of the 4 reports). */
void pool_plan_host(const struct host_profile *hp, struct pool_host_plan *p);
void pool_plan_print(const struct pool_plan *plan, FILE *f);
void pool_plan_host_print(const struct pool_host_plan *p, FILE *f);

/* 0 when hp can run m, else the number of reasons (all of them, in r). */
int pool_check(const struct cpu_model *m, const struct host_profile *hp, struct pool_reasons *r);

#endif
