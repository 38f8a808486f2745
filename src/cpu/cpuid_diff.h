/* SPDX-License-Identifier: MIT */
#ifndef SV_CPU_CPUID_DIFF_H
#define SV_CPU_CPUID_DIFF_H

#include "cpu/cpuid.h"
#include "cpu/host.h"

/*
 * Security-relevant CPUID bits that differ between what was asked for and what
 * KVM presents (read back with KVM_GET_CPUID2).  Some KVMs rewrite leaves on
 * KVM_SET_CPUID2 (e.g. leaf 7.0 with the host's values), so the MSR layer is
 * driven by `got`, and every difference is reported.  Returns the count (may
 * exceed max; only max are stored).
 */
unsigned int cpuid_diff_security(const struct cpuid_set *want, const struct cpuid_set *got,
				 struct host_cpuid_change *out, unsigned int max);
/* "CPUID.0x7.0:EDX[26] SPEC_CTRL: wanted 1, got 0" */
void cpuid_change_format(const struct host_cpuid_change *c, char *buf, unsigned long len);

#endif
