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

#include "dev/pio.h"
#include "util/err.h"

struct fake {
	uint16_t last_port;
	unsigned int last_size;
	uint32_t last_val;
	unsigned int nin, nout;
	uint32_t reply;
	int rc;
};

static int fake_in(void *opaque, uint16_t port, unsigned int size, uint32_t *val)
{
	struct fake *f = opaque;

	f->nin++;
	f->last_port = port;
	f->last_size = size;
	*val = f->reply;
	return f->rc;
}

static int fake_out(void *opaque, uint16_t port, unsigned int size, uint32_t val)
{
	struct fake *f = opaque;

	f->nout++;
	f->last_port = port;
	f->last_size = size;
	f->last_val = val;
	return f->rc;
}

static struct pio_dev fake_dev(const char *name, uint16_t base, uint16_t len, struct fake *f)
{
	struct pio_dev d = {
		.name = name, .base = base, .len = len, .opaque = f,
		.in = fake_in, .out = fake_out,
	};

	return d;
}

static void test_dispatch_to_device(void **state)
{
	struct pio_bus b;
	struct fake f = { .reply = 0x12345678 };
	struct pio_dev d = fake_dev("dev", 0x100, 8, &f);
	uint32_t v;

	(void)state;
	pio_bus_init(&b);
	assert_int_equal(pio_register(&b, &d), 0);

	v = 0xabcd;
	assert_int_equal(pio_dispatch(&b, 0x103, 2, true, &v), 0);
	assert_int_equal(f.nout, 1);
	assert_int_equal(f.last_port, 0x103);
	assert_int_equal(f.last_size, 2);
	assert_int_equal(f.last_val, 0xabcd);

	/* A write value wider than the access is masked before the device. */
	v = 0xffffff42;
	assert_int_equal(pio_dispatch(&b, 0x100, 1, true, &v), 0);
	assert_int_equal(f.last_val, 0x42);

	/* Read results are masked to the access size. */
	assert_int_equal(pio_dispatch(&b, 0x107, 1, false, &v), 0);
	assert_int_equal(v, 0x78);
	assert_int_equal(pio_dispatch(&b, 0x107, 2, false, &v), 0);
	assert_int_equal(v, 0x5678);
	assert_int_equal(pio_dispatch(&b, 0x107, 4, false, &v), 0);
	assert_int_equal(v, 0x12345678);
	assert_int_equal(f.nin, 3);
	assert_int_equal(pio_bus_unclaimed_total(&b), 0);

	assert_ptr_equal(pio_find(&b, 0x100)->opaque, &f);
	assert_null(pio_find(&b, 0x108));
	assert_null(pio_find(&b, 0xff));
}

static void test_device_error_propagates(void **state)
{
	struct pio_bus b;
	struct fake f = { .rc = -EIO };
	struct pio_dev d = fake_dev("dev", 0x10, 1, &f);
	uint32_t v = 0;

	(void)state;
	pio_bus_init(&b);
	assert_int_equal(pio_register(&b, &d), 0);
	assert_int_equal(pio_dispatch(&b, 0x10, 1, true, &v), -EIO);
	assert_int_equal(pio_dispatch(&b, 0x10, 1, false, &v), -EIO);
}

static void test_overlap_refused(void **state)
{
	struct pio_bus b;
	struct fake f = { 0 };
	struct pio_dev a = fake_dev("com1", 0x3f8, 8, &f);
	struct pio_dev c = fake_dev("intruder", 0x3fc, 8, &f);
	struct pio_dev inside = fake_dev("inner", 0x3f9, 1, &f);
	struct pio_dev below = fake_dev("below", 0x3f0, 9, &f);
	struct pio_dev next = fake_dev("next", 0x400, 1, &f);
	struct pio_dev prev = fake_dev("prev", 0x3f7, 1, &f);

	(void)state;
	pio_bus_init(&b);
	assert_int_equal(pio_register(&b, &a), 0);
	assert_int_equal(pio_register(&b, &c), -EEXIST);
	assert_non_null(strstr(err_msg(), "intruder"));
	assert_non_null(strstr(err_msg(), "com1"));
	assert_int_equal(pio_register(&b, &inside), -EEXIST);
	assert_int_equal(pio_register(&b, &below), -EEXIST);
	/* Adjacent windows are fine. */
	assert_int_equal(pio_register(&b, &next), 0);
	assert_int_equal(pio_register(&b, &prev), 0);
	assert_int_equal(b.ndev, 3);
}

static void test_bad_windows(void **state)
{
	struct pio_bus b;
	struct fake f = { 0 };
	struct pio_dev empty = fake_dev("empty", 0x10, 0, &f);
	struct pio_dev wrap = fake_dev("wrap", 0xfffe, 3, &f);
	struct pio_dev top = fake_dev("top", 0xfffe, 2, &f);
	struct pio_dev anon = fake_dev(NULL, 0x20, 1, &f);
	uint32_t v = 0;

	(void)state;
	pio_bus_init(&b);
	assert_int_equal(pio_register(&b, &empty), -EINVAL);
	assert_non_null(strstr(err_msg(), "empty"));
	assert_int_equal(pio_register(&b, &wrap), -EINVAL);
	assert_int_equal(pio_register(&b, &anon), -EINVAL);
	assert_int_equal(pio_register(&b, &top), 0);
	assert_int_equal(pio_dispatch(&b, 0xffff, 1, false, &v), 0);
	assert_int_equal(f.nin, 1);
	/* Only 1, 2 and 4 byte accesses exist. */
	assert_int_equal(pio_dispatch(&b, 0xffff, 3, false, &v), -EINVAL);
	assert_int_equal(pio_dispatch(&b, 0xffff, 0, true, &v), -EINVAL);
	assert_int_equal(pio_dispatch(&b, 0xffff, 8, true, &v), -EINVAL);
}

static void test_full_bus(void **state)
{
	static const char *names[PIO_MAX_DEVS + 1];
	static char buf[PIO_MAX_DEVS + 1][16];
	struct pio_bus b;
	struct fake f = { 0 };
	unsigned int i;

	(void)state;
	pio_bus_init(&b);
	for (i = 0; i <= PIO_MAX_DEVS; i++) {
		snprintf(buf[i], sizeof(buf[i]), "d%u", i);
		names[i] = buf[i];
	}
	for (i = 0; i < PIO_MAX_DEVS; i++) {
		struct pio_dev d = fake_dev(names[i], (uint16_t)(i * 16), 16, &f);

		assert_int_equal(pio_register(&b, &d), 0);
	}
	struct pio_dev d = fake_dev(names[PIO_MAX_DEVS], 0x8000, 1, &f);

	assert_int_equal(pio_register(&b, &d), -ENOSPC);
}

/* Devices registered in scrambled order still dispatch by port. */
static void test_sorted_lookup(void **state)
{
	static const uint16_t bases[] = { 0x500, 0x10, 0xf000, 0x3f8, 0x80, 0x2f8, 0x61, 0x70 };
	struct fake f[8];
	struct pio_bus b;
	unsigned int i;

	(void)state;
	memset(f, 0, sizeof(f));
	pio_bus_init(&b);
	for (i = 0; i < 8; i++) {
		struct pio_dev d = fake_dev("x", bases[i], 4, &f[i]);

		f[i].reply = i;
		assert_int_equal(pio_register(&b, &d), 0);
	}
	for (i = 1; i < b.ndev; i++)
		assert_true(b.dev[i - 1].base < b.dev[i].base);
	for (i = 0; i < 8; i++) {
		for (unsigned int o = 0; o < 4; o++) {
			uint32_t v = 99;

			assert_int_equal(pio_dispatch(&b, (uint16_t)(bases[i] + o), 1, false, &v), 0);
			assert_int_equal(v, i);
		}
		uint32_t v = 0;

		assert_int_equal(pio_dispatch(&b, (uint16_t)(bases[i] + 4), 1, false, &v), 0);
		assert_int_equal(v, 0xff);
	}
}

static void test_unclaimed(void **state)
{
	struct pio_bus b;
	struct pio_port_count top[8];
	struct fake f = { 0 };
	struct pio_dev wo = { .name = "write-only", .base = 0x80, .len = 1, .opaque = &f,
			      .out = fake_out };
	uint32_t v;
	unsigned int i, n;

	(void)state;
	pio_bus_init(&b);
	assert_int_equal(pio_register(&b, &wo), 0);
	v = 0;
	assert_int_equal(pio_dispatch(&b, 0x60, 1, false, &v), 0);
	assert_int_equal(v, 0xff);
	assert_int_equal(pio_dispatch(&b, 0x60, 2, false, &v), 0);
	assert_int_equal(v, 0xffff);
	assert_int_equal(pio_dispatch(&b, 0x60, 4, false, &v), 0);
	assert_int_equal(v, 0xffffffff);
	for (i = 0; i < 5; i++) {
		v = 1;
		assert_int_equal(pio_dispatch(&b, 0x70, 1, true, &v), 0);
	}
	/* A device without an in() is unclaimed for reads only. */
	assert_int_equal(pio_dispatch(&b, 0x80, 1, false, &v), 0);
	assert_int_equal(v, 0xff);
	v = 7;
	assert_int_equal(pio_dispatch(&b, 0x80, 1, true, &v), 0);
	assert_int_equal(f.nout, 1);

	assert_int_equal(pio_bus_unclaimed_total(&b), 9);
	n = pio_bus_unclaimed(&b, top, 8);
	assert_int_equal(n, 3);
	assert_int_equal(top[0].port, 0x70);
	assert_int_equal(top[0].writes, 5);
	assert_int_equal(top[0].reads, 0);
	assert_int_equal(top[1].port, 0x60);
	assert_int_equal(top[1].reads, 3);
	assert_int_equal(top[2].port, 0x80);
	assert_int_equal(top[2].reads, 1);
	assert_int_equal(pio_bus_unclaimed(&b, top, 1), 1);
	assert_int_equal(top[0].port, 0x70);
}

/* More distinct ports than table slots: totals stay exact. */
static void test_unclaimed_table_full(void **state)
{
	struct pio_bus b;
	struct pio_port_count top[PIO_STAT_SLOTS];
	unsigned int i, n;
	uint64_t sum = 0;
	uint32_t v;

	(void)state;
	pio_bus_init(&b);
	for (i = 0; i < 200; i++)
		assert_int_equal(pio_dispatch(&b, (uint16_t)(0x1000 + i), 1, false, &v), 0);
	/* Port 0 too: the table must not confuse it with a free slot. */
	for (i = 0; i < 3; i++)
		assert_int_equal(pio_dispatch(&b, 0, 1, false, &v), 0);
	assert_int_equal(pio_bus_unclaimed_total(&b), 203);
	n = pio_bus_unclaimed(&b, top, PIO_STAT_SLOTS);
	assert_int_equal(n, PIO_STAT_SLOTS);
	for (i = 0; i < n; i++)
		sum += top[i].reads + top[i].writes;
	assert_int_equal(sum + atomic_load(&b.unclaimed_untracked), 203);
}

struct hammer {
	struct pio_bus *b;
	unsigned int id;
};

#define HAMMER_THREADS	4
#define HAMMER_N	50000

static void *hammer_fn(void *arg)
{
	struct hammer *h = arg;
	unsigned int i;

	for (i = 0; i < HAMMER_N; i++) {
		uint32_t v = i;

		pio_dispatch(h->b, (uint16_t)(0x200 + (i % 8)), 1, i & 1, &v);
	}
	return NULL;
}

static void test_concurrent_counts(void **state)
{
	struct pio_bus b;
	struct pio_port_count top[16];
	pthread_t t[HAMMER_THREADS];
	struct hammer h[HAMMER_THREADS];
	unsigned int i, n;

	(void)state;
	pio_bus_init(&b);
	for (i = 0; i < HAMMER_THREADS; i++) {
		h[i].b = &b;
		h[i].id = i;
		assert_int_equal(pthread_create(&t[i], NULL, hammer_fn, &h[i]), 0);
	}
	for (i = 0; i < HAMMER_THREADS; i++)
		pthread_join(t[i], NULL);
	assert_int_equal(pio_bus_unclaimed_total(&b), HAMMER_THREADS * HAMMER_N);
	n = pio_bus_unclaimed(&b, top, 16);
	assert_int_equal(n, 8);
	for (i = 0; i < n; i++)
		assert_int_equal(top[i].reads + top[i].writes, HAMMER_THREADS * HAMMER_N / 8);
}

static void test_report(void **state)
{
	struct pio_bus b;
	struct fake f = { 0 };
	struct pio_dev d = fake_dev("com1", 0x3f8, 8, &f);
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	uint32_t v = 0;

	(void)state;
	pio_bus_init(&b);
	assert_int_equal(pio_register(&b, &d), 0);
	pio_dispatch(&b, 0x3f8, 1, true, &v);
	pio_dispatch(&b, 0x61, 1, false, &v);
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	pio_bus_report(&b, out);
	fclose(out);
	assert_non_null(strstr(buf, "com1"));
	assert_non_null(strstr(buf, "0x03f8-0x03ff"));
	assert_non_null(strstr(buf, "port 0x0061: 1 reads, 0 writes"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dispatch_to_device),
		cmocka_unit_test(test_device_error_propagates),
		cmocka_unit_test(test_overlap_refused),
		cmocka_unit_test(test_bad_windows),
		cmocka_unit_test(test_full_bus),
		cmocka_unit_test(test_sorted_lookup),
		cmocka_unit_test(test_unclaimed),
		cmocka_unit_test(test_unclaimed_table_full),
		cmocka_unit_test(test_concurrent_counts),
		cmocka_unit_test(test_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
