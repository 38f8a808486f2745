/* SPDX-License-Identifier: MIT */
#include "buslock/ratelimit.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "util/err.h"

/* The deepest debt kept: far beyond any real queue (one token per waiting
 * vCPU), it only keeps a runaway caller from overflowing credit_ns. */
#define CREDIT_MIN	(-(INT64_C(1) << 62))

static int rate_check(uint64_t per_second)
{
	if (per_second > RATELIMIT_RATE_MAX)
		return err_set(-ERANGE, "bus-lock rate %llu per second exceeds the maximum %llu",
			       (unsigned long long)per_second,
			       (unsigned long long)RATELIMIT_RATE_MAX);
	return 0;
}

static void set_cost(struct ratelimit *rl, uint64_t rate)
{
	rl->rate = rate;
	rl->cost_ns = rate ? NSEC_PER_SEC / rate : 0;
	rl->cost_frac = rate ? NSEC_PER_SEC % rate : 0;
}

static void fill_bucket(struct ratelimit *rl)
{
	rl->credit_ns = (int64_t)NSEC_PER_SEC;
	rl->credit_frac = 0;
}

int ratelimit_init(struct ratelimit *rl, uint64_t per_second, uint64_t now_ns)
{
	int r = rate_check(per_second);

	if (r)
		return r;
	memset(rl, 0, sizeof(*rl));
	r = pthread_mutex_init(&rl->lock, NULL);
	if (r)
		return err_set(-r, "bus-lock limiter: mutex: %s", strerror(r));
	set_cost(rl, per_second);
	fill_bucket(rl);
	rl->last_ns = now_ns;
	return 0;
}

void ratelimit_destroy(struct ratelimit *rl)
{
	pthread_mutex_destroy(&rl->lock);
}

/* Bank the time elapsed since the last call, up to a full bucket.  A now_ns
 * older than last_ns adds nothing (another vCPU already banked it). */
static void refill(struct ratelimit *rl, uint64_t now_ns)
{
	uint64_t dt, room;

	if (now_ns <= rl->last_ns)
		return;
	dt = now_ns - rl->last_ns;
	rl->last_ns = now_ns;
	room = (uint64_t)((int64_t)NSEC_PER_SEC - rl->credit_ns);
	if (dt >= room)
		fill_bucket(rl);
	else
		rl->credit_ns += (int64_t)dt;
}

/* Take one token, reserving it if the bucket has none. */
static void take(struct ratelimit *rl)
{
	if (rl->credit_ns < CREDIT_MIN + (int64_t)rl->cost_ns + 1) {
		rl->credit_ns = CREDIT_MIN;
		rl->credit_frac = 0;
		return;
	}
	rl->credit_ns -= (int64_t)rl->cost_ns;
	if (rl->credit_frac < rl->cost_frac) {
		rl->credit_ns--;
		rl->credit_frac += rl->rate;
	}
	rl->credit_frac -= rl->cost_frac;
}

static struct buslock_stats *vcpu_stats(struct ratelimit *rl, unsigned int vcpu)
{
	return vcpu < BUSLOCK_MAX_VCPUS ? &rl->vcpu[vcpu] : NULL;
}

static void account(struct buslock_stats *s, uint64_t delay)
{
	s->locks++;
	if (!delay)
		return;
	s->throttles++;
	s->throttled_ns = s->throttled_ns + delay < s->throttled_ns ?
			  UINT64_MAX : s->throttled_ns + delay;
	if (delay > s->max_delay_ns)
		s->max_delay_ns = delay;
}

uint64_t ratelimit_admit(struct ratelimit *rl, unsigned int vcpu, uint64_t now_ns)
{
	struct buslock_stats *s;
	uint64_t delay = 0;

	pthread_mutex_lock(&rl->lock);
	if (rl->rate) {
		refill(rl, now_ns);
		take(rl);
		/*
		 * Credit is credit_ns + frac/rate with frac/rate in [0, 1), so
		 * it is negative exactly when credit_ns is, and -credit_ns is
		 * the wait rounded up to a whole ns.  It counts from last_ns,
		 * not from a stale now_ns: the caller's real time is past both.
		 */
		if (rl->credit_ns < 0)
			delay = (uint64_t)-rl->credit_ns;
	}
	s = vcpu_stats(rl, vcpu);
	if (s)
		account(s, delay);
	account(&rl->total, delay);
	pthread_mutex_unlock(&rl->lock);
	return delay;
}

/*
 * Re-express a debt of n - frac/old ns (n >= 1, in tokens of the old rate)
 * as the same number of tokens at the new rate: (n*old - frac)/new ns.
 */
static void rescale_debt(struct ratelimit *rl, uint64_t old, uint64_t new)
{
	unsigned __int128 x = (unsigned __int128)(uint64_t)-rl->credit_ns * old - rl->credit_frac;
	unsigned __int128 q = x / new;
	uint64_t r = (uint64_t)(x % new);

	if (r)
		q++;
	if (q > (unsigned __int128)-(CREDIT_MIN + 1)) {
		rl->credit_ns = CREDIT_MIN;
		rl->credit_frac = 0;
		return;
	}
	rl->credit_ns = -(int64_t)q;
	rl->credit_frac = r ? new - r : 0;
}

int ratelimit_set_rate(struct ratelimit *rl, uint64_t per_second, uint64_t now_ns)
{
	uint64_t old;
	int r = rate_check(per_second);

	if (r)
		return r;
	pthread_mutex_lock(&rl->lock);
	old = rl->rate;
	refill(rl, now_ns);
	if (per_second && !old) {
		fill_bucket(rl);
	} else if (per_second && per_second != old) {
		if (rl->credit_ns < 0) {
			rescale_debt(rl, old, per_second);
		} else {
			/* Same time banked = same fill level; round down. */
			rl->credit_frac = (uint64_t)((unsigned __int128)rl->credit_frac *
						     per_second / old);
		}
	}
	set_cost(rl, per_second);
	pthread_mutex_unlock(&rl->lock);
	return 0;
}

uint64_t ratelimit_rate(struct ratelimit *rl)
{
	uint64_t rate;

	pthread_mutex_lock(&rl->lock);
	rate = rl->rate;
	pthread_mutex_unlock(&rl->lock);
	return rate;
}

void ratelimit_stats(struct ratelimit *rl, unsigned int vcpu, struct buslock_stats *out)
{
	struct buslock_stats *s;

	pthread_mutex_lock(&rl->lock);
	s = vcpu_stats(rl, vcpu);
	if (s)
		*out = *s;
	else
		memset(out, 0, sizeof(*out));
	pthread_mutex_unlock(&rl->lock);
}

void ratelimit_total(struct ratelimit *rl, struct buslock_stats *out)
{
	pthread_mutex_lock(&rl->lock);
	*out = rl->total;
	pthread_mutex_unlock(&rl->lock);
}

static void stats_print(FILE *f, const char *who, const struct buslock_stats *s)
{
	fprintf(f, "  %-6s %llu bus locks, %llu throttled, %.3f ms waited (longest %.3f ms)\n",
		who, (unsigned long long)s->locks, (unsigned long long)s->throttles,
		(double)s->throttled_ns / 1e6, (double)s->max_delay_ns / 1e6);
}

void buslock_report_print(struct ratelimit *rl, unsigned int nvcpus, FILE *f)
{
	struct buslock_stats s;
	char who[16];
	unsigned int i;

	if (ratelimit_rate(rl))
		fprintf(f, "bus locks: limited to %llu per second\n",
			(unsigned long long)ratelimit_rate(rl));
	else
		fprintf(f, "bus locks: counted, not limited\n");
	ratelimit_total(rl, &s);
	stats_print(f, "total", &s);
	for (i = 0; i < nvcpus && i < BUSLOCK_MAX_VCPUS; i++) {
		ratelimit_stats(rl, i, &s);
		snprintf(who, sizeof(who), "vcpu%u", i);
		stats_print(f, who, &s);
	}
}
