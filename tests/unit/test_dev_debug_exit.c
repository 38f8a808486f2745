/* SPDX-License-Identifier: MIT */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dev/debug_exit.h"

struct rig {
	struct pio_bus bus;
	struct debug_exit d;
	atomic_int calls;
	atomic_int status;
};

static void on_exit_cb(void *ctx, int status)
{
	struct rig *r = ctx;

	atomic_fetch_add(&r->calls, 1);
	atomic_store(&r->status, status);
}

static int rig_setup(void **state)
{
	static struct rig r;

	pio_bus_init(&r.bus);
	atomic_init(&r.calls, 0);
	atomic_init(&r.status, -1);
	debug_exit_init(&r.d, on_exit_cb, &r);
	if (debug_exit_register(&r.d, &r.bus, DEBUG_EXIT_BASE))
		return -1;
	*state = &r;
	return 0;
}

static void test_status_formula(void **state)
{
	(void)state;
	assert_int_equal(debug_exit_status_of(0), 1);
	assert_int_equal(debug_exit_status_of(0x10), 0x21);
	assert_int_equal(debug_exit_status_of(0x31), 0x63);
	assert_int_equal(debug_exit_status_of(0x7f), 0xff);
	/* Like exit(): only the low 8 bits of (v << 1) | 1 survive. */
	assert_int_equal(debug_exit_status_of(0x80), 1);
	assert_int_equal(debug_exit_status_of(0xffffffffu), 0xff);
}

static void write_port(struct rig *r, uint16_t port, unsigned int size, uint32_t v)
{
	assert_int_equal(pio_dispatch(&r->bus, port, size, true, &v), 0);
}

static void test_byte_write(void **state)
{
	struct rig *r = *state;
	int st = -1;

	assert_false(debug_exit_fired(&r->d, &st));
	write_port(r, DEBUG_EXIT_BASE, 1, 0x10);
	assert_int_equal(atomic_load(&r->calls), 1);
	assert_int_equal(atomic_load(&r->status), 0x21);
	assert_true(debug_exit_fired(&r->d, &st));
	assert_int_equal(st, 0x21);
	assert_true(debug_exit_fired(&r->d, NULL));
}

static void test_first_write_wins(void **state)
{
	struct rig *r = *state;
	int st;

	write_port(r, DEBUG_EXIT_BASE, 4, 0x3);
	write_port(r, DEBUG_EXIT_BASE, 4, 0x5);
	assert_int_equal(atomic_load(&r->calls), 1);
	assert_true(debug_exit_fired(&r->d, &st));
	assert_int_equal(st, 7);
}

static void test_widths_and_window(void **state)
{
	struct rig *r = *state;
	int st;

	/* A 2-byte write of 0x1234: status from the whole value. */
	write_port(r, DEBUG_EXIT_BASE + 2, 2, 0x1234);
	assert_true(debug_exit_fired(&r->d, &st));
	assert_int_equal(st, (0x1234 * 2 + 1) & 0xff);
	/* Port 0xf8 is outside the 4-port window. */
	assert_null(pio_find(&r->bus, DEBUG_EXIT_BASE + DEBUG_EXIT_LEN));
	assert_non_null(pio_find(&r->bus, DEBUG_EXIT_BASE + DEBUG_EXIT_LEN - 1));
}

static void test_direct_write_masks(void **state)
{
	struct debug_exit d;
	int st;

	(void)state;
	debug_exit_init(&d, NULL, NULL);
	/* Called directly with a 1-byte access: only the low byte counts. */
	assert_int_equal(debug_exit_io_out(&d, DEBUG_EXIT_BASE, 1, 0xff01), 0);
	assert_true(debug_exit_fired(&d, &st));
	assert_int_equal(st, 3);
}

static void test_reads_zero(void **state)
{
	struct rig *r = *state;
	uint32_t v;

	for (unsigned int size = 1; size <= 4; size *= 2) {
		v = 0xdead;
		assert_int_equal(pio_dispatch(&r->bus, DEBUG_EXIT_BASE, size, false, &v), 0);
		assert_int_equal(v, 0);
	}
	assert_int_equal(atomic_load(&r->calls), 0);
}

#define RACERS 8

struct racer {
	struct rig *r;
	uint32_t val;
};

static void *race_fn(void *arg)
{
	struct racer *x = arg;

	write_port(x->r, DEBUG_EXIT_BASE, 1, x->val);
	return NULL;
}

static void test_racing_writers(void **state)
{
	struct rig *r = *state;
	pthread_t t[RACERS];
	struct racer x[RACERS];
	int st;

	for (int i = 0; i < RACERS; i++) {
		x[i].r = r;
		x[i].val = (uint32_t)i;
		assert_int_equal(pthread_create(&t[i], NULL, race_fn, &x[i]), 0);
	}
	for (int i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(atomic_load(&r->calls), 1);
	assert_true(debug_exit_fired(&r->d, &st));
	assert_int_equal(st, atomic_load(&r->status));
}

#define T(f) cmocka_unit_test_setup(f, rig_setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status_formula),
		T(test_byte_write),
		T(test_first_write_wins),
		T(test_widths_and_window),
		cmocka_unit_test(test_direct_write_masks),
		T(test_reads_zero),
		T(test_racing_writers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
