/* SPDX-License-Identifier: MIT */
#ifndef SV_BUSLOCK_WAIT_H
#define SV_BUSLOCK_WAIT_H

/*
 * The interruptible wait of a throttled vCPU thread.  One waiter object per
 * VM: every throttled vCPU sleeps on its condition variable (CLOCK_MONOTONIC),
 * and buslock_wake_all() - for stop, quit or migration - wakes them all at
 * once.  The wake is sticky: a vCPU that enters buslock_wait() after it
 * returns at once, so a stop racing with a new throttle is never lost.
 * buslock_waiter_rearm() (on `cont`) makes waits sleep again.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct buslock_waiter {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool woken;
};

int buslock_waiter_init(struct buslock_waiter *w);
void buslock_waiter_destroy(struct buslock_waiter *w);
/* Sleep delay_ns.  0 when the time passed, -EINTR when woken (no err_set:
 * being woken is not an error). */
int buslock_wait(struct buslock_waiter *w, uint64_t delay_ns);
void buslock_wake_all(struct buslock_waiter *w);
void buslock_waiter_rearm(struct buslock_waiter *w);

#endif
