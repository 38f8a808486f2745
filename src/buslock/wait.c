/* SPDX-License-Identifier: MIT */
#include "util/clock.h"
#include "buslock/wait.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "buslock/ratelimit.h"
#include "util/err.h"

int buslock_waiter_init(struct buslock_waiter *w)
{
	pthread_condattr_t ca;
	int r;

	memset(w, 0, sizeof(*w));
	r = pthread_mutex_init(&w->lock, NULL);
	if (r)
		return err_set(-r, "bus-lock waiter: mutex: %s", strerror(r));
	r = pthread_condattr_init(&ca);
	if (!r) {
		/* Monotonic, so a wall-clock step neither shortens nor
		 * stretches a throttle. */
		r = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		if (!r)
			r = pthread_cond_init(&w->cond, &ca);
		pthread_condattr_destroy(&ca);
	}
	if (r) {
		pthread_mutex_destroy(&w->lock);
		return err_set(-r, "bus-lock waiter: condition variable: %s", strerror(r));
	}
	return 0;
}

void buslock_waiter_destroy(struct buslock_waiter *w)
{
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
}

int buslock_wait(struct buslock_waiter *w, uint64_t delay_ns)
{
	uint64_t end = clock_now_ns();
	struct timespec ts;
	int r = 0;

	end = end + delay_ns < end ? UINT64_MAX : end + delay_ns;
	ts.tv_sec = (time_t)(end / NSEC_PER_SEC);
	ts.tv_nsec = (long)(end % NSEC_PER_SEC);
	pthread_mutex_lock(&w->lock);
	/* Loop: condition variables may wake spuriously. */
	while (!w->woken && clock_now_ns() < end) {
		if (pthread_cond_timedwait(&w->cond, &w->lock, &ts) == ETIMEDOUT)
			break;
	}
	if (w->woken)
		r = -EINTR;
	pthread_mutex_unlock(&w->lock);
	return r;
}

void buslock_wake_all(struct buslock_waiter *w)
{
	pthread_mutex_lock(&w->lock);
	w->woken = true;
	pthread_cond_broadcast(&w->cond);
	pthread_mutex_unlock(&w->lock);
}

void buslock_waiter_rearm(struct buslock_waiter *w)
{
	pthread_mutex_lock(&w->lock);
	w->woken = false;
	pthread_mutex_unlock(&w->lock);
}
