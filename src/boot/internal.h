/* SPDX-License-Identifier: MIT */
#ifndef SV_BOOT_INTERNAL_H
#define SV_BOOT_INTERNAL_H

/* Shared by the files of src/boot only; the interface is boot/loader.h. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "boot/e820.h"
#include "boot/loader.h"

#define BOOT_MAX_SEGS		64	/* loadable program headers per kernel */
#define BOOT_PAGE_SIZE		0x1000ULL
#define BOOT_4G			0x100000000ULL

/* One piece of the kernel: filesz bytes of src copied to gpa, then zeroes to memsz. */
struct boot_seg {
	char what[32];		/* "program header 2", "a.out image" */
	uint64_t gpa;
	uint64_t memsz;
	uint64_t filesz;	/* <= memsz */
	const uint8_t *src;
};

/* A kernel parsed and planned, nothing written yet. */
struct boot_kernel {
	struct boot_seg seg[BOOT_MAX_SEGS];
	unsigned int nseg;
	uint64_t entry;		/* physical */
	uint64_t start, end;	/* lowest address, highest address + 1 */
	enum boot_mode mode;
	const char *format;
};

static inline uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

/* gmem.c: is [gpa, gpa+len) loadable (>= 1 MiB, < 4 GiB, RAM)?  Names `what` in the error. */
int gmem_check_range(const struct guest_mem *m, uint64_t gpa, uint64_t len, const char *what);
/* "64 MiB", "1536 KiB", "4097 bytes" */
const char *gmem_size_str(char buf[32], uint64_t size);

/* kernel.c: check the planned segments (ranges, overlaps), then write them. */
int kernel_check(const struct guest_mem *m, struct boot_kernel *k);
void kernel_commit(struct guest_mem *m, const struct boot_kernel *k);

/* elf.c: plan the PT_LOAD segments of an ELF32 i386 or ELF64 x86-64 image by
 * p_paddr; the entry is e_entry translated to the physical address. */
int elf_plan(const uint8_t *img, size_t len, struct boot_kernel *k);
/* An ELF64 x86-64 file (identification and machine only). */
bool elf_is_x86_64(const uint8_t *img, size_t len);

/* multiboot.c */
struct mb_header {
	size_t offset;		/* in the file */
	uint32_t flags;
};
/* Find a valid header in the first 8192 bytes; *bad_csum gets the offset of the
 * first magic with a wrong checksum, or -1. */
bool multiboot_find(const uint8_t *img, size_t len, struct mb_header *h, long *bad_csum);
int multiboot_plan(const uint8_t *img, size_t len, const struct mb_header *h,
		   struct boot_kernel *k);
void multiboot_entry(const struct boot_kernel *k, uint32_t info, struct boot_entry *out);

/* elf64.c: ELF64 without a multiboot header, entered in long mode. */
int elf64_plan(const uint8_t *img, size_t len, struct boot_kernel *k);
int elf64_entry(struct guest_mem *m, const struct boot_kernel *k, uint32_t info,
		struct boot_entry *out);

/* mbinfo.c: the multiboot info at BOOT_INFO_ADDR.  With commit false only
 * check that it fits; mod_addr[i] is where module i is loaded. */
struct mbinfo_args {
	const struct boot_image *img;
	const uint64_t *mod_addr;
	const struct e820_entry *map;
	int nmap;
};
int mbinfo_write(struct guest_mem *m, const struct mbinfo_args *a, bool commit);

/* longmode.c */
int gdt_write(struct guest_mem *m, enum boot_mode mode, struct boot_entry *out);
int pagetables_write(struct guest_mem *m, struct boot_entry *out);

#endif
