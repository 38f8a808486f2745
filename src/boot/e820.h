/* SPDX-License-Identifier: MIT */
#ifndef SV_BOOT_E820_H
#define SV_BOOT_E820_H

/*
 * The guest's physical memory map, as e820 would report it.  The multiboot info
 * carries it today; a bzImage boot_params will carry the same entries.
 */

#include <stdint.h>

#define E820_RAM		1
#define E820_RESERVED		2

#define E820_MAX_ENTRIES	6
#define E820_MIN_RAM		0x200000ULL		/* 2 MiB: tables, stack, a kernel at 1 MiB */
#define E820_MAX_RAM		(1ULL << 46)		/* 64 TiB: keeps every address far from wrapping */

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;		/* E820_RAM or E820_RESERVED */
};

/*
 * Fill out[] for ram_size bytes of guest RAM laid out as in boot/loader.h:
 *   RAM 0-0x9fc00, reserved 0x9fc00-0xa0000 (EBDA) and 0xf0000-0x100000 (BIOS),
 *   RAM 1 MiB-min(ram_size, 3 GiB); if ram_size > 3 GiB also reserved 3-4 GiB
 *   and RAM from 4 GiB for the rest.
 * ram_size must be a multiple of 4 KiB in [E820_MIN_RAM, E820_MAX_RAM].
 * Returns the number of entries (ascending, non-overlapping) or -errno.
 */
int e820_build(uint64_t ram_size, struct e820_entry *out, int max);

/* KiB of RAM from 1 MiB up to the first hole (multiboot mem_upper). */
uint32_t e820_mem_upper_kib(const struct e820_entry *map, int n);

#endif
