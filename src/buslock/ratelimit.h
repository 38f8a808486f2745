/* SPDX-License-Identifier: MIT */
#ifndef SV_BUSLOCK_RATELIMIT_H
#define SV_BUSLOCK_RATELIMIT_H

/*
 * The VM-wide bus-lock rate limiter (docs/buslock.md).  A token bucket of
 * capacity `rate` tokens (one second of burst) refilled continuously at rate
 * per second.  Each bus lock takes a token; a vCPU that finds the bucket empty
 * reserves the next token anyway (the bucket goes negative) and is told how
 * long to wait for it, so concurrent vCPUs queue in arrival order, each one
 * token interval behind the previous.  Long-run rate: exactly `rate` per second,
 * as with QEMU's bus-lock-ratelimit.
 *
 * Pure and clock-agnostic: every call takes the current time in ns (any
 * monotonic origin).  Thread-safe; it never sleeps - the caller waits the
 * returned delay outside the lock (buslock/wait.h).
 */

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

#define NSEC_PER_SEC		1000000000ull
/* One bus lock per ns: far more than a guest can produce (each bus-lock exit
 * costs microseconds), and it keeps the arithmetic in 64 bits. */
#define RATELIMIT_RATE_MAX	NSEC_PER_SEC
#define BUSLOCK_MAX_VCPUS	256	/* per-vCPU counters; others count in the total */

struct buslock_stats {
	uint64_t locks;			/* bus locks seen */
	uint64_t throttles;		/* of which were told to wait */
	uint64_t throttled_ns;		/* sum of the delays imposed */
	uint64_t max_delay_ns;		/* longest single delay */
};

struct ratelimit {
	pthread_mutex_t lock;
	uint64_t rate;			/* per second; 0 = no limit (only counting) */
	/* One token lasts cost_ns + cost_frac/rate ns, exactly 1e9/rate. */
	uint64_t cost_ns, cost_frac;
	/* Banked time credit_ns + credit_frac/rate ns (0 <= credit_frac < rate):
	 * at most 1 s (a full bucket); negative when tokens are reserved ahead. */
	int64_t credit_ns;
	uint64_t credit_frac;
	uint64_t last_ns;		/* time of the last refill */
	struct buslock_stats vcpu[BUSLOCK_MAX_VCPUS];
	struct buslock_stats total;
};

/* Starts with a full bucket.  -ERANGE if per_second > RATELIMIT_RATE_MAX. */
int ratelimit_init(struct ratelimit *rl, uint64_t per_second, uint64_t now_ns);
void ratelimit_destroy(struct ratelimit *rl);
/*
 * Count one bus lock of `vcpu` and return how long (ns) that vCPU must wait
 * before it runs on; 0 = go on now.  now_ns may lag a value another vCPU
 * already passed (it read the clock, then lost the race for the lock); such a
 * caller is taken to arrive at that later time, which it has surely reached.
 */
uint64_t ratelimit_admit(struct ratelimit *rl, unsigned int vcpu, uint64_t now_ns);
/*
 * Change the rate at once, with neither a burst nor a stall: a bucket with
 * credit keeps its fill level (the fraction of its 1 s capacity); tokens
 * already reserved stay reserved, re-spaced at the new rate.  Turning the
 * limit on from 0 starts with a full bucket.  -ERANGE as for init.
 */
int ratelimit_set_rate(struct ratelimit *rl, uint64_t per_second, uint64_t now_ns);
uint64_t ratelimit_rate(struct ratelimit *rl);

/* Counters of one vCPU (zero for vcpu >= BUSLOCK_MAX_VCPUS), and of the VM. */
void ratelimit_stats(struct ratelimit *rl, unsigned int vcpu, struct buslock_stats *out);
void ratelimit_total(struct ratelimit *rl, struct buslock_stats *out);
/* Text for --report: the rate, the VM total, then the vCPUs 0..nvcpus-1. */
void buslock_report_print(struct ratelimit *rl, unsigned int nvcpus, FILE *f);

/* Callers pass clock_now_ns() (util/clock.h) as now_ns: buslock_wait()
 * sleeps on the same CLOCK_MONOTONIC. */

#endif
