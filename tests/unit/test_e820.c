/* SPDX-License-Identifier: MIT */
/* e820_build() and gmem_ptr(): the guest physical memory layout. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "boot/e820.h"
#include "boot/loader.h"
#include "util/err.h"

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

static void check_entry(const struct e820_entry *e, uint64_t addr, uint64_t size, uint32_t type)
{
	assert_int_equal(e->addr, addr);
	assert_int_equal(e->size, size);
	assert_int_equal(e->type, type);
}

static void test_e820_64m(void **state)
{
	struct e820_entry map[E820_MAX_ENTRIES];
	int n = e820_build(64 * MiB, map, E820_MAX_ENTRIES);

	assert_int_equal(n, 4);
	check_entry(&map[0], 0, 0x9fc00, E820_RAM);
	check_entry(&map[1], 0x9fc00, 0x400, E820_RESERVED);
	check_entry(&map[2], 0xf0000, 0x10000, E820_RESERVED);
	check_entry(&map[3], 0x100000, 63 * MiB, E820_RAM);
	assert_int_equal(e820_mem_upper_kib(map, n), 63 * 1024);
}

static void test_e820_min(void **state)
{
	struct e820_entry map[E820_MAX_ENTRIES];
	int n = e820_build(2 * MiB, map, E820_MAX_ENTRIES);

	assert_int_equal(n, 4);
	check_entry(&map[3], 0x100000, MiB, E820_RAM);
	assert_int_equal(e820_mem_upper_kib(map, n), 1024);
}

static void test_e820_3g_exactly(void **state)
{
	struct e820_entry map[E820_MAX_ENTRIES];
	int n = e820_build(3 * GiB, map, E820_MAX_ENTRIES);

	assert_int_equal(n, 4);
	check_entry(&map[3], 0x100000, 3 * GiB - MiB, E820_RAM);
	assert_int_equal(e820_mem_upper_kib(map, n), (3 * GiB - MiB) >> 10);
}

static void test_e820_above_3g(void **state)
{
	struct e820_entry map[E820_MAX_ENTRIES];
	int n = e820_build(5 * GiB, map, E820_MAX_ENTRIES);

	assert_int_equal(n, 6);
	check_entry(&map[0], 0, 0x9fc00, E820_RAM);
	check_entry(&map[1], 0x9fc00, 0x400, E820_RESERVED);
	check_entry(&map[2], 0xf0000, 0x10000, E820_RESERVED);
	check_entry(&map[3], 0x100000, 3 * GiB - MiB, E820_RAM);
	check_entry(&map[4], 3 * GiB, GiB, E820_RESERVED);
	check_entry(&map[5], 4 * GiB, 2 * GiB, E820_RAM);
	/* mem_upper stops at the first hole. */
	assert_int_equal(e820_mem_upper_kib(map, n), (3 * GiB - MiB) >> 10);
}

/* Ascending, non-overlapping, and RAM adds up to ram_size, for many sizes. */
static void test_e820_sorted_and_complete(void **state)
{
	static const uint64_t sizes[] = { 2 * MiB, 2 * MiB + 4096, 16 * MiB, 3 * GiB - 4096,
					  3 * GiB, 3 * GiB + 4096, 8 * GiB, E820_MAX_RAM };

	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct e820_entry map[E820_MAX_ENTRIES];
		uint64_t ram = 0, low_ram = 0x9fc00;
		int n = e820_build(sizes[s], map, E820_MAX_ENTRIES);

		assert_true(n >= 4);
		for (int i = 0; i < n; i++) {
			assert_true(map[i].size > 0);
			if (i)
				assert_true(map[i].addr >= map[i - 1].addr + map[i - 1].size);
			if (map[i].type == E820_RAM)
				ram += map[i].size;
		}
		/* RAM below 1 MiB is reported from 0 to the EBDA; the rest of the
		 * first MiB is backed but not usable. */
		assert_int_equal(ram, sizes[s] - MiB + low_ram);
	}
}

static void test_e820_too_small(void **state)
{
	struct e820_entry map[E820_MAX_ENTRIES];

	assert_int_equal(e820_build(MiB, map, E820_MAX_ENTRIES), -EINVAL);
	assert_string_equal(err_msg(), "guest RAM of 1 MiB is too small: booting needs at least 2 MiB");
	assert_int_equal(e820_build(0, map, E820_MAX_ENTRIES), -EINVAL);
}

static void test_e820_unaligned(void **state)
{
	struct e820_entry map[E820_MAX_ENTRIES];

	assert_int_equal(e820_build(64 * MiB + 1, map, E820_MAX_ENTRIES), -EINVAL);
	assert_string_equal(err_msg(), "guest RAM of 67108865 bytes is not a multiple of 4 KiB");
}

static void test_e820_too_big(void **state)
{
	struct e820_entry map[E820_MAX_ENTRIES];

	assert_int_equal(e820_build(E820_MAX_RAM + 4096, map, E820_MAX_ENTRIES), -EINVAL);
	assert_string_equal(err_msg(), "guest RAM of 68719476740 KiB is more than the 64 TiB supported");
	assert_int_equal(e820_build(UINT64_MAX & ~0xfffULL, map, E820_MAX_ENTRIES), -EINVAL);
}

static void test_e820_no_room(void **state)
{
	struct e820_entry map[E820_MAX_ENTRIES];

	assert_int_equal(e820_build(64 * MiB, map, 3), -ENOSPC);
	assert_string_equal(err_msg(), "e820 map: more than 3 entries");
	assert_int_equal(e820_build(5 * GiB, map, 5), -ENOSPC);
	assert_int_equal(e820_build(64 * MiB, map, 0), -ENOSPC);
}

static void test_gmem_ptr_small(void **state)
{
	static uint8_t buf[4096];
	struct guest_mem m = { buf, sizeof(buf) };

	assert_ptr_equal(gmem_ptr(&m, 0, 4096), buf);
	assert_ptr_equal(gmem_ptr(&m, 4095, 1), buf + 4095);
	assert_ptr_equal(gmem_ptr(&m, 4096, 0), buf + 4096);
	assert_null(gmem_ptr(&m, 4096, 1));
	assert_null(gmem_ptr(&m, 1, 4096));
	assert_null(gmem_ptr(&m, 4097, 0));
	/* gpa + len would wrap to a small number */
	assert_null(gmem_ptr(&m, 16, UINT64_MAX));
	assert_null(gmem_ptr(&m, UINT64_MAX, 2));
	assert_null(gmem_ptr(&m, UINT64_MAX - 1, UINT64_MAX));
	assert_null(gmem_ptr(NULL, 0, 1));
	m.host = NULL;
	assert_null(gmem_ptr(&m, 0, 1));
}

/* 5 GiB of address space, never touched: checks the mapping around the hole. */
static void test_gmem_ptr_hole(void **state)
{
	uint64_t size = 5 * GiB;
	uint8_t *host = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct guest_mem m = { host, size };

	assert_true(host != MAP_FAILED);
	assert_ptr_equal(gmem_ptr(&m, 3 * GiB - 4096, 4096), host + 3 * GiB - 4096);
	assert_null(gmem_ptr(&m, 3 * GiB - 4096, 4097));	/* into the hole */
	assert_null(gmem_ptr(&m, 3 * GiB, 1));
	assert_null(gmem_ptr(&m, 4 * GiB - 1, 1));
	assert_null(gmem_ptr(&m, 3 * GiB, 2 * GiB));		/* across the hole */
	assert_ptr_equal(gmem_ptr(&m, 4 * GiB, 1), host + 3 * GiB);
	assert_ptr_equal(gmem_ptr(&m, 4 * GiB, 2 * GiB), host + 3 * GiB);
	assert_ptr_equal(gmem_ptr(&m, 6 * GiB - 1, 1), host + 5 * GiB - 1);
	assert_null(gmem_ptr(&m, 6 * GiB - 1, 2));
	assert_null(gmem_ptr(&m, 6 * GiB, 1));
	assert_null(gmem_ptr(&m, 4 * GiB + 1, UINT64_MAX));
	munmap(host, size);
}

/* Exactly 3 GiB: no RAM above 4 GiB. */
static void test_gmem_ptr_3g(void **state)
{
	uint64_t size = 3 * GiB;
	uint8_t *host = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct guest_mem m = { host, size };

	assert_true(host != MAP_FAILED);
	assert_ptr_equal(gmem_ptr(&m, 3 * GiB - 1, 1), host + 3 * GiB - 1);
	assert_null(gmem_ptr(&m, 4 * GiB, 1));
	assert_null(gmem_ptr(&m, 4 * GiB, 0));
	munmap(host, size);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_e820_64m),
		cmocka_unit_test(test_e820_min),
		cmocka_unit_test(test_e820_3g_exactly),
		cmocka_unit_test(test_e820_above_3g),
		cmocka_unit_test(test_e820_sorted_and_complete),
		cmocka_unit_test(test_e820_too_small),
		cmocka_unit_test(test_e820_unaligned),
		cmocka_unit_test(test_e820_too_big),
		cmocka_unit_test(test_e820_no_room),
		cmocka_unit_test(test_gmem_ptr_small),
		cmocka_unit_test(test_gmem_ptr_hole),
		cmocka_unit_test(test_gmem_ptr_3g),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
