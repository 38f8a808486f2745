/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/clock.h"
#include "buslock/ratelimit.h"
#include "util/err.h"

#define MS	1000000ull
#define SEC	NSEC_PER_SEC

static struct ratelimit rl;	/* large: keep it off the stack */

static int rl_teardown(void **state)
{
	(void)state;
	ratelimit_destroy(&rl);
	return 0;
}

static void test_init_range(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_init(&rl, RATELIMIT_RATE_MAX + 1, 0), -ERANGE);
	assert_non_null(strstr(err_msg(), "1000000001"));
	assert_int_equal(ratelimit_init(&rl, UINT64_MAX, 0), -ERANGE);
	assert_int_equal(ratelimit_init(&rl, RATELIMIT_RATE_MAX, 0), 0);
	assert_int_equal(ratelimit_rate(&rl), RATELIMIT_RATE_MAX);
}

/* Rate 0: counted, never delayed. */
static void test_rate_zero_is_off(void **state)
{
	struct buslock_stats s;

	(void)state;
	assert_int_equal(ratelimit_init(&rl, 0, 0), 0);
	for (unsigned int i = 0; i < 100000; i++)
		assert_int_equal(ratelimit_admit(&rl, 0, 5), 0);
	ratelimit_total(&rl, &s);
	assert_int_equal(s.locks, 100000);
	assert_int_equal(s.throttles, 0);
	assert_int_equal(s.throttled_ns, 0);
}

/* 10 000 locks evenly over 100 s at exactly the rate: none waits. */
static void test_even_spread_never_waits(void **state)
{
	struct buslock_stats s;

	(void)state;
	assert_int_equal(ratelimit_init(&rl, 100, 0), 0);
	for (uint64_t i = 0; i < 10000; i++)
		assert_int_equal(ratelimit_admit(&rl, 0, i * 10 * MS), 0);
	ratelimit_total(&rl, &s);
	assert_int_equal(s.locks, 10000);
	assert_int_equal(s.throttles, 0);
}

/* 100 locks at the start of each second for 100 s: each burst fits the
 * refilled bucket exactly. */
static void test_bursts_per_second(void **state)
{
	struct buslock_stats s;

	(void)state;
	assert_int_equal(ratelimit_init(&rl, 100, 0), 0);
	for (uint64_t sec = 0; sec < 100; sec++)
		for (unsigned int i = 0; i < 100; i++)
			assert_int_equal(ratelimit_admit(&rl, i % 4, sec * SEC), 0);
	/* One more in the last second must wait for the next token. */
	assert_int_equal(ratelimit_admit(&rl, 0, 99 * SEC), 10 * MS);
	ratelimit_total(&rl, &s);
	assert_int_equal(s.locks, 10001);
	assert_int_equal(s.throttles, 1);
	assert_int_equal(s.throttled_ns, 10 * MS);
}

/* A burst at one instant: the bucket's rate tokens, then one per 1/rate. */
static void test_burst_queue(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_init(&rl, 100, 1000 * SEC), 0);
	for (uint64_t k = 0; k < 1000; k++) {
		uint64_t want = k < 100 ? 0 : (k - 99) * 10 * MS;

		assert_int_equal(ratelimit_admit(&rl, 0, 1000 * SEC), want);
	}
}

/*
 * One vCPU hammering: each lock comes as soon as the previous wait ends.
 * Count when each lock lets the vCPU go on, per 1 s window.
 */
static void test_hammer_windows(void **state)
{
	static unsigned int win[102];
	uint64_t t = 0, total_delay = 0;
	struct buslock_stats s;

	(void)state;
	memset(win, 0, sizeof(win));
	assert_int_equal(ratelimit_init(&rl, 100, 0), 0);
	for (unsigned int i = 0; i < 10100; i++) {
		uint64_t d = ratelimit_admit(&rl, 0, t);

		if (i >= 100)
			assert_int_equal(d, 10 * MS);
		total_delay += d;
		t += d;
		win[t / SEC]++;
	}
	/* The first window holds the 1 s burst plus a second's refill. */
	assert_int_equal(win[0], 100 + 99);
	for (unsigned int k = 1; k < 100; k++)
		assert_int_equal(win[k], 100);
	assert_int_equal(win[100], 1);
	assert_int_equal(total_delay, 10000 * 10 * MS);
	ratelimit_total(&rl, &s);
	assert_int_equal(s.throttled_ns, total_delay);
	assert_int_equal(s.throttles, 10000);
	assert_int_equal(s.max_delay_ns, 10 * MS);
}

/* A rate that does not divide 1e9: no drift over a long run. */
static void test_fractional_rate_exact(void **state)
{
	uint64_t t = 0;

	(void)state;
	assert_int_equal(ratelimit_init(&rl, 3, 0), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(ratelimit_admit(&rl, 0, 0), 0);
	/* Token k (k >= 1) of the queue is due at k/3 s, rounded up. */
	for (uint64_t k = 1; k <= 300000; k++) {
		uint64_t due = (k * SEC + 2) / 3;

		assert_int_equal(ratelimit_admit(&rl, 0, t), due - t);
		t = due;
	}
	/* 300 000 tokens of 1/3 s: exactly 100 000 s. */
	assert_int_equal(t, 100000 * SEC);
}

/* vCPUs arriving together queue in arrival order, 1/rate apart. */
static void test_fair_queue(void **state)
{
	uint64_t now = 50 * SEC;

	(void)state;
	assert_int_equal(ratelimit_init(&rl, 1000, now), 0);
	for (int i = 0; i < 1000; i++)
		ratelimit_admit(&rl, 0, now);
	for (unsigned int pos = 1; pos <= 8; pos++) {
		uint64_t d = ratelimit_admit(&rl, pos, now);

		assert_int_equal(d, pos * MS);
		assert_true(d <= pos * SEC / 1000);
	}
	/* Half a token later the next arrival waits its share, not a slice. */
	assert_int_equal(ratelimit_admit(&rl, 9, now + MS / 2), 9 * MS - MS / 2);
}

/*
 * Four vCPUs hammering (a lock 1 us after each wait ends), simulated in
 * time order: the long-run rate holds, the vCPUs share it evenly, and no
 * wait exceeds (number of vCPUs)/rate.
 */
static void test_hammer_fairness(void **state)
{
	enum { NV = 4 };
	uint64_t next[NV] = { 0 }, count[NV] = { 0 }, maxd = 0;
	static unsigned int win[130];
	unsigned int i;

	(void)state;
	memset(win, 0, sizeof(win));
	assert_int_equal(ratelimit_init(&rl, 100, 0), 0);
	for (;;) {
		unsigned int v = 0;

		for (i = 1; i < NV; i++)
			if (next[i] < next[v])
				v = i;
		if (next[v] >= 120 * SEC)
			break;
		uint64_t d = ratelimit_admit(&rl, v, next[v]);

		if (d > maxd)
			maxd = d;
		win[(next[v] + d) / SEC]++;
		count[v]++;
		next[v] += d + 1000;
	}
	assert_true(maxd <= NV * 10 * MS);
	for (unsigned int k = 1; k < 119; k++)
		assert_in_range(win[k], 99, 101);
	for (i = 1; i < NV; i++)
		assert_true(count[i] + 1 >= count[0] && count[0] + 1 >= count[i]);
	/* 120 s: the 1 s burst plus 120 s of tokens, give or take the last. */
	assert_in_range(count[0] + count[1] + count[2] + count[3], 100 + 11996, 100 + 12004);
}

static void test_stats(void **state)
{
	struct buslock_stats s;

	(void)state;
	assert_int_equal(ratelimit_init(&rl, 1, 0), 0);
	assert_int_equal(ratelimit_admit(&rl, 2, 0), 0);
	assert_int_equal(ratelimit_admit(&rl, 3, 0), SEC);
	assert_int_equal(ratelimit_admit(&rl, 3, 0), 2 * SEC);
	assert_int_equal(ratelimit_admit(&rl, BUSLOCK_MAX_VCPUS + 7, 0), 3 * SEC);
	ratelimit_stats(&rl, 2, &s);
	assert_int_equal(s.locks, 1);
	assert_int_equal(s.throttles, 0);
	ratelimit_stats(&rl, 3, &s);
	assert_int_equal(s.locks, 2);
	assert_int_equal(s.throttles, 2);
	assert_int_equal(s.throttled_ns, 3 * SEC);
	assert_int_equal(s.max_delay_ns, 2 * SEC);
	/* Beyond the per-vCPU table: only in the total. */
	ratelimit_stats(&rl, BUSLOCK_MAX_VCPUS + 7, &s);
	assert_int_equal(s.locks, 0);
	ratelimit_total(&rl, &s);
	assert_int_equal(s.locks, 4);
	assert_int_equal(s.throttles, 3);
	assert_int_equal(s.throttled_ns, 6 * SEC);
	assert_int_equal(s.max_delay_ns, 3 * SEC);
}

static void test_report_text(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(ratelimit_init(&rl, 1, 0), 0);
	ratelimit_admit(&rl, 0, 0);
	ratelimit_admit(&rl, 1, 0);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	buslock_report_print(&rl, 2, f);
	fclose(f);
	assert_non_null(strstr(buf, "limited to 1 per second"));
	assert_non_null(strstr(buf, "total  2 bus locks, 1 throttled, 1000.000 ms"));
	assert_non_null(strstr(buf, "vcpu1  1 bus locks, 1 throttled"));
	free(buf);
}

/* Lowering the rate on a full bucket keeps it full: no burst. */
static void test_rate_down_full_bucket(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_init(&rl, 100, 0), 0);
	assert_int_equal(ratelimit_set_rate(&rl, 10, 5 * SEC), 0);
	for (int i = 0; i < 10; i++)
		assert_int_equal(ratelimit_admit(&rl, 0, 5 * SEC), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, 5 * SEC), 100 * MS);
}

/* Raising it on a half-used bucket keeps half a second of credit. */
static void test_rate_up_half_bucket(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_init(&rl, 100, 0), 0);
	for (int i = 0; i < 50; i++)
		assert_int_equal(ratelimit_admit(&rl, 0, 0), 0);
	assert_int_equal(ratelimit_set_rate(&rl, 1000, 0), 0);
	for (int i = 0; i < 500; i++)
		assert_int_equal(ratelimit_admit(&rl, 0, 0), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, 0), 1 * MS);
}

/* Tokens already reserved stay ahead of newcomers, re-spaced at the new
 * rate: raising the rate does not stall newcomers behind old spacing... */
static void test_rate_up_with_queue(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_init(&rl, 10, 0), 0);
	for (int i = 0; i < 10; i++)
		ratelimit_admit(&rl, 0, 0);
	assert_int_equal(ratelimit_admit(&rl, 1, 0), 100 * MS);
	assert_int_equal(ratelimit_admit(&rl, 2, 0), 200 * MS);
	assert_int_equal(ratelimit_admit(&rl, 3, 0), 300 * MS);
	assert_int_equal(ratelimit_set_rate(&rl, 1000, 0), 0);
	assert_int_equal(ratelimit_admit(&rl, 4, 0), 4 * MS);
	/* 50 ms later the 4 reserved tokens are long paid: full speed. */
	assert_int_equal(ratelimit_admit(&rl, 4, 50 * MS), 0);
}

/* ...and lowering it does not let newcomers pass at the old spacing. */
static void test_rate_down_with_queue(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_init(&rl, 1000, 0), 0);
	for (int i = 0; i < 1000; i++)
		ratelimit_admit(&rl, 0, 0);
	for (uint64_t k = 1; k <= 3; k++)
		assert_int_equal(ratelimit_admit(&rl, 1, 0), k * MS);
	assert_int_equal(ratelimit_set_rate(&rl, 1, 0), 0);
	assert_int_equal(ratelimit_admit(&rl, 2, 0), 4 * SEC);
}

static void test_rate_off_and_on(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_init(&rl, 5, 0), 0);
	for (int i = 0; i < 5; i++)
		ratelimit_admit(&rl, 0, 0);
	assert_int_equal(ratelimit_admit(&rl, 0, 0), 200 * MS);
	assert_int_equal(ratelimit_set_rate(&rl, 0, 0), 0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(ratelimit_admit(&rl, 0, 0), 0);
	/* Back on: a fresh full bucket, the old debt forgotten. */
	assert_int_equal(ratelimit_set_rate(&rl, 5, 0), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(ratelimit_admit(&rl, 0, 0), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, 0), 200 * MS);
	/* Out of range: refused, rate kept. */
	assert_int_equal(ratelimit_set_rate(&rl, RATELIMIT_RATE_MAX + 1, 0), -ERANGE);
	assert_int_equal(ratelimit_rate(&rl), 5);
}

static void test_huge_rate(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_init(&rl, RATELIMIT_RATE_MAX, 0), 0);
	/* A million at one instant fit in a billion-token bucket. */
	for (int i = 0; i < 1000000; i++)
		assert_int_equal(ratelimit_admit(&rl, 0, 0), 0);
	/* One per ns is the rate itself. */
	for (uint64_t t = 1; t < 1000000; t++)
		assert_int_equal(ratelimit_admit(&rl, 0, t), 0);
	assert_int_equal(ratelimit_set_rate(&rl, RATELIMIT_RATE_MAX - 1, 1000000), 0);
	assert_int_equal(ratelimit_set_rate(&rl, 1, 1000000), 0);
	assert_int_equal(ratelimit_set_rate(&rl, RATELIMIT_RATE_MAX, 1000000), 0);
}

/* Times near the top of the 64-bit range and huge gaps do not overflow. */
static void test_large_now(void **state)
{
	uint64_t base = UINT64_MAX - 1000 * SEC;

	(void)state;
	assert_int_equal(ratelimit_init(&rl, 2, base), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, base), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, base), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, base), 500 * MS);
	assert_int_equal(ratelimit_admit(&rl, 0, base + 900 * SEC), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, UINT64_MAX), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, UINT64_MAX), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, UINT64_MAX), 500 * MS);
	ratelimit_destroy(&rl);

	/* From 0 straight to the end of time: a full bucket, no more. */
	assert_int_equal(ratelimit_init(&rl, 1, 0), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, 0), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, 0), SEC);
	assert_int_equal(ratelimit_admit(&rl, 0, UINT64_MAX - 1), 0);
	assert_int_equal(ratelimit_admit(&rl, 0, UINT64_MAX - 1), SEC);
}

/* A caller whose clock reading is older than one already used (it lost the
 * race for the lock) is taken to arrive at the later time: it is past it. */
static void test_stale_now(void **state)
{
	(void)state;
	assert_int_equal(ratelimit_init(&rl, 100, 0), 0);
	for (int i = 0; i < 100; i++)
		ratelimit_admit(&rl, 0, 10 * SEC);
	assert_int_equal(ratelimit_admit(&rl, 1, 10 * SEC + 4 * MS), 6 * MS);
	assert_int_equal(ratelimit_admit(&rl, 2, 10 * SEC), 16 * MS);
	/* A stale reading banks no time either. */
	assert_int_equal(ratelimit_admit(&rl, 3, 9 * SEC), 26 * MS);
}

/*
 * The reference: the same policy written as GCRA in scaled integer time
 * (1 unit = 1/rate ns, so one token is always 1e9 units): z is the time,
 * scaled, at which the bucket would be empty; it never lags now by more
 * than one second (the capacity); each lock adds one token.
 */
struct ref {
	uint64_t rate;
	__int128 z;		/* scaled */
	uint64_t last;
};

static __int128 scaled(uint64_t t, uint64_t rate)
{
	return (__int128)t * rate;
}

static void ref_init(struct ref *r, uint64_t rate, uint64_t now)
{
	r->rate = rate;
	r->last = now;
	r->z = scaled(now, rate) - (__int128)SEC * rate;
}

static uint64_t ref_admit(struct ref *r, uint64_t now)
{
	__int128 t, floor_z, d;

	if (!r->rate)
		return 0;
	if (now > r->last)
		r->last = now;
	t = scaled(r->last, r->rate);
	floor_z = t - (__int128)SEC * r->rate;
	if (r->z < floor_z)
		r->z = floor_z;
	r->z += SEC;
	d = r->z - t;	/* from the latest time seen, not a stale now */
	if (d <= 0)
		return 0;
	return (uint64_t)((d + r->rate - 1) / r->rate);
}

static void ref_set_rate(struct ref *r, uint64_t rate, uint64_t now)
{
	__int128 t;

	if (now > r->last)
		r->last = now;
	if (!rate) {
		r->rate = 0;
		return;
	}
	if (!r->rate) {
		ref_init(r, rate, r->last);
		return;
	}
	t = scaled(r->last, r->rate);
	if (r->z < t - (__int128)SEC * r->rate)
		r->z = t - (__int128)SEC * r->rate;
	if (r->z > t) {
		/* Debt: the same number of tokens (scaled units) at the new rate. */
		r->z = scaled(r->last, rate) + (r->z - t);
	} else {
		/* Credit: the same time, rounded toward less credit. */
		__int128 x = r->z * rate;

		r->z = x / r->rate + (x % r->rate != 0);
	}
	r->rate = rate;
}

static uint64_t rnd_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static void test_against_reference(void **state)
{
	static const uint64_t rates[] = { 1, 3, 7, 100, 999983, RATELIMIT_RATE_MAX };
	unsigned int ri, i;

	(void)state;
	for (ri = 0; ri < sizeof(rates) / sizeof(rates[0]); ri++) {
		uint64_t rate = rates[ri], t = 12345 * SEC + ri, tok = SEC / rate;
		struct ref ref;

		ref_init(&ref, rate, t);
		assert_int_equal(ratelimit_init(&rl, rate, t), 0);
		for (i = 0; i < 200000; i++) {
			uint64_t r = rnd(), now = t;

			/* Mostly forward in steps around one token, sometimes
			 * a long idle gap, sometimes a stale clock reading. */
			switch (r % 16) {
			case 0:
				t += (r >> 8) % (3 * SEC);
				now = t;
				break;
			case 1:
				now = t - (t > tok ? (r >> 8) % (tok + 1) : 0);
				break;
			case 2:
				if ((r >> 8) % 64 == 0) {
					uint64_t nr = rates[(r >> 16) % 6];

					if ((r >> 24) % 8 == 0)
						nr = 0;
					assert_int_equal(ratelimit_set_rate(&rl, nr, t), 0);
					ref_set_rate(&ref, nr, t);
					continue;
				}
				break;
			default:
				t += (r >> 8) % (2 * tok + 2);
				now = t;
				break;
			}
			uint64_t want = ref_admit(&ref, now), got = ratelimit_admit(&rl, 0, now);

			if (want != got)
				fail_msg("rate %llu step %u now %llu: want %llu got %llu",
					 (unsigned long long)ref.rate, i, (unsigned long long)now,
					 (unsigned long long)want, (unsigned long long)got);
		}
		ratelimit_destroy(&rl);
	}
	assert_int_equal(ratelimit_init(&rl, 1, 0), 0);	/* for the teardown */
}

/* Real threads: every lock counted once, nothing deadlocks. */
#define THREADS 4
#define PER_THREAD 100000

static void *admit_fn(void *arg)
{
	unsigned int v = (unsigned int)(uintptr_t)arg;

	for (int i = 0; i < PER_THREAD; i++)
		ratelimit_admit(&rl, v, clock_now_ns());
	return NULL;
}

static void test_threads(void **state)
{
	pthread_t t[THREADS];
	struct buslock_stats s;
	uint64_t sum = 0;

	(void)state;
	assert_int_equal(ratelimit_init(&rl, 1000, clock_now_ns()), 0);
	for (uintptr_t i = 0; i < THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, admit_fn, (void *)i), 0);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	for (unsigned int i = 0; i < THREADS; i++) {
		ratelimit_stats(&rl, i, &s);
		assert_int_equal(s.locks, PER_THREAD);
		sum += s.throttles;
	}
	ratelimit_total(&rl, &s);
	assert_int_equal(s.locks, THREADS * PER_THREAD);
	assert_int_equal(s.throttles, sum);
	/* Far faster than 1000/s: all but about one bucket were throttled. */
	assert_true(s.throttles >= THREADS * PER_THREAD - 2000);
}

#define T(f) cmocka_unit_test_teardown(f, rl_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_init_range),
		T(test_rate_zero_is_off),
		T(test_even_spread_never_waits),
		T(test_bursts_per_second),
		T(test_burst_queue),
		T(test_hammer_windows),
		T(test_fractional_rate_exact),
		T(test_fair_queue),
		T(test_hammer_fairness),
		T(test_stats),
		T(test_report_text),
		T(test_rate_down_full_bucket),
		T(test_rate_up_half_bucket),
		T(test_rate_up_with_queue),
		T(test_rate_down_with_queue),
		T(test_rate_off_and_on),
		T(test_huge_rate),
		T(test_large_now),
		T(test_stale_now),
		T(test_against_reference),
		T(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
