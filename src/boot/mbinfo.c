/* SPDX-License-Identifier: MIT */
/* The multiboot information structure (spec 0.6.96 §3.3) at BOOT_INFO_ADDR. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "boot/internal.h"
#include "util/err.h"

/* Offsets in the info structure. */
#define MBI_FLAGS		0
#define MBI_MEM_LOWER		4
#define MBI_MEM_UPPER		8
#define MBI_CMDLINE		16
#define MBI_MODS_COUNT		20
#define MBI_MODS_ADDR		24
#define MBI_MMAP_LENGTH		44
#define MBI_MMAP_ADDR		48
#define MBI_LOADER_NAME		64
#define MBI_SIZE		128	/* 116 with the framebuffer fields, all zero */

#define MBI_F_MEM		(1u << 0)
#define MBI_F_CMDLINE		(1u << 2)
#define MBI_F_MODS		(1u << 3)
#define MBI_F_MMAP		(1u << 6)
#define MBI_F_LOADER_NAME	(1u << 9)

#define MB_MOD_SIZE		16	/* mod_start, mod_end, string, reserved */
#define MB_MMAP_SIZE		24	/* size (= 20, itself excluded), base, length, type */
#define MB_MEM_LOWER_KIB	640	/* what QEMU reports; nothing lives in the EBDA slot */
#define MB_LOADER_NAME		"specvisor"

#define AREA_SIZE		(BOOT_INFO_END - BOOT_INFO_ADDR)

/* Allocation in the info area; base is NULL for the dry run that only sizes it. */
struct mb_cursor {
	uint8_t *base;
	uint32_t used;
};

static int mb_alloc(struct mb_cursor *c, uint64_t size, uint32_t align, const char *what,
		    uint32_t *off)
{
	uint32_t start = (c->used + align - 1) & ~(align - 1);

	if (start > AREA_SIZE || size > AREA_SIZE - start)
		return err_set(-ENOSPC, "multiboot info: no room for %s (0x%" PRIx64 " bytes) in "
			       "0x%x..0x%x, 0x%x bytes already used", what, size,
			       BOOT_INFO_ADDR, BOOT_INFO_END, start);
	*off = start;
	c->used = start + (uint32_t)size;
	return 0;
}

/* Copy one or two strings (joined by a space) as a C string; returns its gpa. */
static int mb_string(struct mb_cursor *c, const char *a, const char *b, const char *what,
		     uint32_t *gpa)
{
	size_t la = strlen(a), lb = b ? strlen(b) : 0;
	uint64_t size = (uint64_t)la + (b ? 1 + lb : 0) + 1;
	uint32_t off = 0;
	int rc = mb_alloc(c, size, 1, what, &off);

	if (rc < 0)
		return rc;
	if (c->base) {
		uint8_t *p = c->base + off;

		memcpy(p, a, la);
		if (b) {
			p[la] = ' ';
			memcpy(p + la + 1, b, lb);
		}
		p[size - 1] = '\0';
	}
	*gpa = BOOT_INFO_ADDR + off;
	return 0;
}

int mbinfo_write(struct guest_mem *m, const struct mbinfo_args *a, bool commit)
{
	const struct boot_image *img = a->img;
	const char *cmdline = img->cmdline && *img->cmdline ? img->cmdline : NULL;
	struct mb_cursor c = { 0 };
	uint32_t mbi = 0, mmap = 0, mods = 0, str = 0;
	uint8_t *p;
	int rc;

	if (commit) {
		c.base = gmem_ptr(m, BOOT_INFO_ADDR, AREA_SIZE);
		if (!c.base)
			return err_set(-ENOSPC, "no guest RAM for the multiboot info at 0x%x", BOOT_INFO_ADDR);
		memset(c.base, 0, MBI_SIZE);
	}
	rc = mb_alloc(&c, MBI_SIZE, 8, "the info structure", &mbi);
	if (rc == 0)
		rc = mb_alloc(&c, (uint64_t)a->nmap * MB_MMAP_SIZE, 8, "the memory map", &mmap);
	if (rc == 0)
		rc = mb_alloc(&c, (uint64_t)img->nmods * MB_MOD_SIZE, 16, "the module list", &mods);
	if (rc < 0)
		return rc;

	p = c.base;
	if (p) {
		put_le32(p + MBI_FLAGS, MBI_F_MEM | MBI_F_CMDLINE | MBI_F_MODS | MBI_F_MMAP |
			 MBI_F_LOADER_NAME);
		put_le32(p + MBI_MEM_LOWER, MB_MEM_LOWER_KIB);
		put_le32(p + MBI_MEM_UPPER, e820_mem_upper_kib(a->map, a->nmap));
		put_le32(p + MBI_MODS_COUNT, img->nmods);
		put_le32(p + MBI_MODS_ADDR, BOOT_INFO_ADDR + mods);
		put_le32(p + MBI_MMAP_LENGTH, (uint32_t)a->nmap * MB_MMAP_SIZE);
		put_le32(p + MBI_MMAP_ADDR, BOOT_INFO_ADDR + mmap);
		for (int i = 0; i < a->nmap; i++) {
			uint8_t *e = p + mmap + i * MB_MMAP_SIZE;

			put_le32(e, MB_MMAP_SIZE - 4);
			put_le64(e + 4, a->map[i].addr);
			put_le64(e + 12, a->map[i].size);
			put_le32(e + 20, a->map[i].type);
		}
	}

	/* Like QEMU: the kernel's path first, as a bootloader's config line would. */
	rc = mb_string(&c, img->name, cmdline, "the command line", &str);
	if (rc < 0)
		return rc;
	if (p)
		put_le32(p + MBI_CMDLINE, str);
	rc = mb_string(&c, MB_LOADER_NAME, NULL, "the boot loader name", &str);
	if (rc < 0)
		return rc;
	if (p)
		put_le32(p + MBI_LOADER_NAME, str);

	for (unsigned int i = 0; i < img->nmods; i++) {
		const struct boot_module_data *md = &img->mods[i];
		char what[40];

		snprintf(what, sizeof(what), "the string of module %u", i + 1);
		rc = mb_string(&c, md->string ? md->string : "", NULL, what, &str);
		if (rc < 0)
			return rc;
		if (p) {
			uint8_t *e = p + mods + i * MB_MOD_SIZE;

			/* Placement already checked these are below 4 GiB. */
			put_le32(e, (uint32_t)a->mod_addr[i]);
			put_le32(e + 4, (uint32_t)(a->mod_addr[i] + md->len));
			put_le32(e + 8, str);
			put_le32(e + 12, 0);
		}
	}
	return 0;
}
