/* SPDX-License-Identifier: MIT */
#include "boot/e820.h"

#include <errno.h>
#include <inttypes.h>

#include "boot/internal.h"
#include "util/err.h"

#define EBDA_START	0x9fc00ULL
#define VGA_START	0xa0000ULL
#define BIOS_START	0xf0000ULL
#define HIGH_START	0x100000ULL

static int e820_add(struct e820_entry *out, int max, int n, uint64_t addr, uint64_t end,
		    uint32_t type)
{
	if (n >= max)
		return err_set(-ENOSPC, "e820 map: more than %d entries", max);
	out[n] = (struct e820_entry){ .addr = addr, .size = end - addr, .type = type };
	return n + 1;
}

int e820_build(uint64_t ram_size, struct e820_entry *out, int max)
{
	uint64_t low_end;
	char sz[32];
	int n = 0;

	if (ram_size < E820_MIN_RAM)
		return err_set(-EINVAL, "guest RAM of %s is too small: booting needs at least %llu MiB",
			       gmem_size_str(sz, ram_size), E820_MIN_RAM >> 20);
	if (ram_size > E820_MAX_RAM)
		return err_set(-EINVAL, "guest RAM of %s is more than the %llu TiB supported",
			       gmem_size_str(sz, ram_size), E820_MAX_RAM >> 40);
	if (ram_size & 0xfff)
		return err_set(-EINVAL, "guest RAM of %" PRIu64 " bytes is not a multiple of 4 KiB",
			       ram_size);

	low_end = ram_size < GMEM_HOLE_START ? ram_size : GMEM_HOLE_START;
	n = e820_add(out, max, n, 0, EBDA_START, E820_RAM);
	if (n >= 0)
		n = e820_add(out, max, n, EBDA_START, VGA_START, E820_RESERVED);
	/* 0xa0000-0xeffff (VGA window, option ROMs) is simply absent, as on PCs. */
	if (n >= 0)
		n = e820_add(out, max, n, BIOS_START, HIGH_START, E820_RESERVED);
	if (n >= 0)
		n = e820_add(out, max, n, HIGH_START, low_end, E820_RAM);
	if (n >= 0 && ram_size > GMEM_HOLE_START) {
		n = e820_add(out, max, n, GMEM_HOLE_START, GMEM_HOLE_END, E820_RESERVED);
		if (n >= 0)
			n = e820_add(out, max, n, GMEM_HOLE_END,
				     GMEM_HOLE_END + (ram_size - GMEM_HOLE_START), E820_RAM);
	}
	return n;
}

uint32_t e820_mem_upper_kib(const struct e820_entry *map, int n)
{
	for (int i = 0; i < n; i++) {
		if (map[i].addr == HIGH_START && map[i].type == E820_RAM)
			return (uint32_t)(map[i].size >> 10);
	}
	return 0;
}
