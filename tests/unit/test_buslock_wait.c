/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <cmocka.h>

#include "util/clock.h"
#include "buslock/ratelimit.h"
#include "buslock/wait.h"

#define MS 1000000ull

static struct buslock_waiter w;

static int setup(void **state)
{
	(void)state;
	return buslock_waiter_init(&w);
}

static int teardown(void **state)
{
	(void)state;
	buslock_waiter_destroy(&w);
	return 0;
}

/* Bounds only, never precise timing: the machine may be slow. */
static void test_short_wait_elapses(void **state)
{
	uint64_t t0 = clock_now_ns();

	(void)state;
	assert_int_equal(buslock_wait(&w, 20 * MS), 0);
	assert_true(clock_now_ns() - t0 >= 20 * MS);
	assert_int_equal(buslock_wait(&w, 0), 0);
}

struct waiter_arg {
	int rc;
	uint64_t took;
};

static void *sleeper(void *p)
{
	struct waiter_arg *a = p;
	uint64_t t0 = clock_now_ns();

	a->rc = buslock_wait(&w, 10000 * MS);
	a->took = clock_now_ns() - t0;
	return NULL;
}

static void test_wake_interrupts(void **state)
{
	struct waiter_arg a[3];
	pthread_t t[3];
	struct timespec ts = { 0, 50 * MS };

	(void)state;
	for (int i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, sleeper, &a[i]), 0);
	nanosleep(&ts, NULL);
	buslock_wake_all(&w);
	for (int i = 0; i < 3; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(a[i].rc, -EINTR);
		/* A 10 s wait woken after 50 ms ends well before 10 s. */
		assert_true(a[i].took < 5000 * MS);
	}
}

/* A wake before the wait starts is not lost; rearm restores sleeping. */
static void test_wake_is_sticky(void **state)
{
	uint64_t t0;

	(void)state;
	buslock_wake_all(&w);
	t0 = clock_now_ns();
	assert_int_equal(buslock_wait(&w, 10000 * MS), -EINTR);
	assert_int_equal(buslock_wait(&w, 10000 * MS), -EINTR);
	assert_true(clock_now_ns() - t0 < 5000 * MS);
	buslock_waiter_rearm(&w);
	assert_int_equal(buslock_wait(&w, 1 * MS), 0);
}

static void test_huge_delay_no_overflow(void **state)
{
	(void)state;
	buslock_wake_all(&w);
	assert_int_equal(buslock_wait(&w, UINT64_MAX), -EINTR);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_short_wait_elapses),
		T(test_wake_interrupts),
		T(test_wake_is_sticky),
		T(test_huge_delay_no_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
