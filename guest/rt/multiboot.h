/* SPDX-License-Identifier: MIT */
#ifndef GUEST_RT_MULTIBOOT_H
#define GUEST_RT_MULTIBOOT_H

/* Multiboot v1 information structure (spec 0.6.96 §3.3), read-only helpers. */

#include <stdint.h>

#define MB_INFO_MEMORY		(1u << 0)
#define MB_INFO_CMDLINE		(1u << 2)
#define MB_INFO_MODS		(1u << 3)
#define MB_INFO_MMAP		(1u << 6)

struct mb_info {
	uint32_t flags;
	uint32_t mem_lower;		/* KiB below 1 MiB */
	uint32_t mem_upper;		/* KiB above 1 MiB */
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count;
	uint32_t mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length;
	uint32_t mmap_addr;
};

struct mb_module {
	uint32_t mod_start;
	uint32_t mod_end;		/* first byte after the module */
	uint32_t string;
	uint32_t reserved;
};

/* 'size' counts the bytes after itself: next entry = this + size + 4. */
struct mb_mmap_entry {
	uint32_t size;
	uint64_t base;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

/* NULL unless the boot magic was 0x2BADB002. */
const struct mb_info *mb_info(void);
uint32_t mb_boot_magic(void);
/* "" when absent. */
const char *mb_cmdline(void);
unsigned mb_module_count(void);
const struct mb_module *mb_module(unsigned i);
/* Pass NULL for the first entry; returns NULL after the last. */
const struct mb_mmap_entry *mb_mmap_next(const struct mb_mmap_entry *prev);

#endif
