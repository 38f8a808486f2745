/* SPDX-License-Identifier: MIT */
#ifndef GUEST_RT_SMP_H
#define GUEST_RT_SMP_H

#include <stdint.h>

#include "io.h"

#define LAPIC_BASE		0xFEE00000ull

typedef struct {
	volatile uint32_t locked;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
	/* XCHG with memory is implicitly locked. */
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

/* This CPU's xAPIC ID (0..N-1 under specvisor and QEMU). */
unsigned smp_cpu_id(void);

/*
 * Start every other vCPU that fw_cfg NB_CPUS announces (capped at
 * RT_MAX_CPUS) with INIT/SIPI/SIPI; each runs fn(its APIC ID) on its own
 * stack, then halts.  Returns the number of APs signalled; does not wait.
 */
unsigned smp_start_aps(void (*fn)(unsigned cpu));

#endif
