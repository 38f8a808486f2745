/* SPDX-License-Identifier: MIT */
#ifndef GUEST_RT_CPU_H
#define GUEST_RT_CPU_H

/* CPUID, fault-tolerant MSR access and the exception record. */

#include <stdint.h>

struct cpuid_regs {
	uint32_t eax, ebx, ecx, edx;
};

static inline struct cpuid_regs cpuid(uint32_t leaf, uint32_t subleaf)
{
	struct cpuid_regs r;

	__asm__ volatile("cpuid"
			 : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx)
			 : "a"(leaf), "c"(subleaf));
	return r;
}

/* True if the leaf exists: compares against the range's maximum leaf. */
int cpuid_has_leaf(uint32_t leaf);

/* 0 on success, else the exception vector the access raised (13 = #GP). */
int rdmsr_safe(uint32_t msr, uint64_t *val);
int wrmsr_safe(uint32_t msr, uint64_t val);

#define VEC_UD		6
#define VEC_GP		13
#define VEC_PF		14

/* Last exception taken on any CPU (recovered ones included). */
struct exc_record {
	uint64_t vector, error, rip;
};
extern volatile struct exc_record exc_last;
extern volatile unsigned exc_count;

#endif
