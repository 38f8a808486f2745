/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dev/fw_cfg.h"
#include "util/err.h"

struct rig {
	struct pio_bus bus;
	struct fw_cfg f;
};

static int rig_setup(void **state)
{
	static struct rig r;

	pio_bus_init(&r.bus);
	if (fw_cfg_init(&r.f, 3, 8, 0x123456789aull) ||
	    fw_cfg_register(&r.f, &r.bus, FW_CFG_IO_BASE))
		return -1;
	*state = &r;
	return 0;
}

static int rig_teardown(void **state)
{
	struct rig *r = *state;

	fw_cfg_destroy(&r->f);
	return 0;
}

static void select_key(struct rig *r, uint16_t key)
{
	uint32_t v = key;

	assert_int_equal(pio_dispatch(&r->bus, FW_CFG_IO_BASE, 2, true, &v), 0);
}

static void read_bytes(struct rig *r, uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t v = 0xdead;

		assert_int_equal(pio_dispatch(&r->bus, FW_CFG_IO_BASE + 1, 1, false, &v), 0);
		assert_true(v <= 0xff);
		buf[i] = (uint8_t)v;
	}
}

static void expect(struct rig *r, uint16_t key, const void *want, size_t n)
{
	uint8_t buf[512], zero[16] = { 0 };

	assert_true(n <= sizeof(buf));
	select_key(r, key);
	read_bytes(r, buf, n);
	assert_memory_equal(buf, want, n);
	/* Past the end: zeros, however far. */
	read_bytes(r, buf, sizeof(zero));
	assert_memory_equal(buf, zero, sizeof(zero));
}

static void test_signature(void **state)
{
	struct rig *r = *state;

	expect(r, FW_CFG_SIGNATURE, "QEMU", 4);
	/* The write-channel bit is ignored on selection. */
	expect(r, FW_CFG_SIGNATURE | FW_CFG_WRITE_CHANNEL, "QEMU", 4);
}

static void test_id(void **state)
{
	struct rig *r = *state;
	static const uint8_t id[4] = { 1, 0, 0, 0 };	/* traditional, no DMA */

	expect(r, FW_CFG_ID, id, 4);
}

static void test_counts_and_ram(void **state)
{
	struct rig *r = *state;
	static const uint8_t nb[2] = { 3, 0 }, max[2] = { 8, 0 };
	static const uint8_t ram[8] = { 0x9a, 0x78, 0x56, 0x34, 0x12, 0, 0, 0 };

	expect(r, FW_CFG_NB_CPUS, nb, 2);
	expect(r, FW_CFG_MAX_CPUS, max, 2);
	expect(r, FW_CFG_RAM_SIZE, ram, 8);
}

static void test_unknown_keys(void **state)
{
	struct rig *r = *state;
	static const uint8_t zero[8] = { 0 };

	expect(r, 0x0002, zero, 8);
	expect(r, 0x0020, zero, 8);	/* no file yet */
	expect(r, FW_CFG_ARCH_LOCAL | 0x0003, zero, 8);	/* e.g. QEMU's e820 table */
	expect(r, 0xffff, zero, 8);
}

static void test_empty_dir(void **state)
{
	struct rig *r = *state;
	static const uint8_t zero[4] = { 0 };

	expect(r, FW_CFG_FILE_DIR, zero, 4);
}

static void test_files_and_dir_layout(void **state)
{
	struct rig *r = *state;
	static const char a_data[] = "first file";
	uint8_t b_data[300];
	uint8_t dir[4 + 2 * 64], want[4 + 2 * 64];

	for (unsigned int i = 0; i < sizeof(b_data); i++)
		b_data[i] = (uint8_t)i;
	assert_int_equal(fw_cfg_add_file(&r->f, "etc/specvisor/a", a_data, sizeof(a_data)), 0x20);
	assert_int_equal(fw_cfg_add_file(&r->f, "opt/b", b_data, sizeof(b_data)), 0x21);

	memset(want, 0, sizeof(want));
	want[3] = 2;				/* count, big-endian */
	want[4 + 3] = sizeof(a_data);		/* size, big-endian */
	want[4 + 5] = 0x20;			/* select, big-endian */
	memcpy(&want[4 + 8], "etc/specvisor/a", 15);
	want[68 + 2] = 0x01;			/* 300 = 0x012c */
	want[68 + 3] = 0x2c;
	want[68 + 5] = 0x21;
	memcpy(&want[68 + 8], "opt/b", 5);
	select_key(r, FW_CFG_FILE_DIR);
	read_bytes(r, dir, sizeof(dir));
	assert_memory_equal(dir, want, sizeof(want));

	expect(r, 0x20, a_data, sizeof(a_data));
	expect(r, 0x21, b_data, sizeof(b_data));
	/* Re-selecting starts over. */
	expect(r, 0x20, a_data, sizeof(a_data));
}

static void test_empty_file(void **state)
{
	struct rig *r = *state;
	uint8_t dir[4 + 64];

	assert_int_equal(fw_cfg_add_file(&r->f, "empty", NULL, 0), 0x20);
	expect(r, 0x20, "", 0);
	select_key(r, FW_CFG_FILE_DIR);
	read_bytes(r, dir, sizeof(dir));
	assert_int_equal(dir[3], 1);
	assert_int_equal(dir[4] | dir[5] | dir[6] | dir[7], 0);
	assert_int_equal(dir[9], 0x20);
	assert_string_equal((char *)&dir[12], "empty");
}

static void test_add_file_errors(void **state)
{
	struct rig *r = *state;
	char name[80];
	int i;

	assert_int_equal(fw_cfg_add_file(&r->f, "", "x", 1), -EINVAL);
	assert_int_equal(fw_cfg_add_file(&r->f, NULL, "x", 1), -EINVAL);
	assert_int_equal(fw_cfg_add_file(&r->f, "nodata", NULL, 4), -EINVAL);
	assert_non_null(strstr(err_msg(), "nodata"));
	memset(name, 'n', sizeof(name));
	name[FW_CFG_NAME_LEN] = 0;		/* 56 characters: one too many */
	assert_int_equal(fw_cfg_add_file(&r->f, name, "x", 1), -EINVAL);
	name[FW_CFG_NAME_LEN - 1] = 0;		/* 55: the most that fits */
	assert_int_equal(fw_cfg_add_file(&r->f, name, "x", 1), 0x20);
	assert_int_equal(fw_cfg_add_file(&r->f, name, "y", 1), -EEXIST);
	assert_non_null(strstr(err_msg(), "already exists"));
	for (i = 1; i < FW_CFG_MAX_FILES; i++) {
		snprintf(name, sizeof(name), "f%d", i);
		assert_int_equal(fw_cfg_add_file(&r->f, name, &i, sizeof(i)), 0x20 + i);
	}
	assert_int_equal(fw_cfg_add_file(&r->f, "one-more", "x", 1), -ENOSPC);
	/* The last file is reachable and correct. */
	i = FW_CFG_MAX_FILES - 1;
	expect(r, (uint16_t)(0x20 + i), &i, sizeof(i));
}

static void test_port_widths(void **state)
{
	struct rig *r = *state;
	uint32_t v;
	uint8_t b;

	select_key(r, FW_CFG_SIGNATURE);
	/* Byte writes to the selector and data writes are ignored. */
	v = FW_CFG_ID;
	assert_int_equal(pio_dispatch(&r->bus, FW_CFG_IO_BASE, 1, true, &v), 0);
	assert_int_equal(pio_dispatch(&r->bus, FW_CFG_IO_BASE + 1, 1, true, &v), 0);
	assert_int_equal(pio_dispatch(&r->bus, FW_CFG_IO_BASE, 4, true, &v), 0);
	/* Wide data reads and selector reads give 0 and consume nothing. */
	assert_int_equal(pio_dispatch(&r->bus, FW_CFG_IO_BASE + 1, 2, false, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(pio_dispatch(&r->bus, FW_CFG_IO_BASE, 1, false, &v), 0);
	assert_int_equal(v, 0);
	read_bytes(r, &b, 1);
	assert_int_equal(b, 'Q');
	/* No DMA interface: 0x514 is not ours. */
	assert_null(pio_find(&r->bus, 0x514));
}

static void test_state(void **state)
{
	struct rig *r = *state;
	struct fw_cfg_state s = { 0 };
	uint8_t b[2];

	select_key(r, FW_CFG_SIGNATURE);
	read_bytes(r, b, 2);
	fw_cfg_state_get(&r->f, &s);
	assert_int_equal(s.sel, FW_CFG_SIGNATURE);
	assert_int_equal(s.off, 2);
	select_key(r, FW_CFG_ID);
	fw_cfg_state_set(&r->f, &s);
	read_bytes(r, b, 2);
	assert_memory_equal(b, "MU", 2);
}

#define T(f) cmocka_unit_test_setup_teardown(f, rig_setup, rig_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_signature),
		T(test_id),
		T(test_counts_and_ram),
		T(test_unknown_keys),
		T(test_empty_dir),
		T(test_files_and_dir_layout),
		T(test_empty_file),
		T(test_add_file_errors),
		T(test_port_widths),
		T(test_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
