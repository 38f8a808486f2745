/* SPDX-License-Identifier: MIT */
/* Multiboot v1 (spec 0.6.96) kernels, as QEMU's -kernel takes them. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "boot/internal.h"
#include "util/err.h"

#define MB_MAGIC		0x1badb002
#define MB_SEARCH		8192	/* the header lies in the first 8 KiB */
#define MB_HDR_SIZE		12	/* magic, flags, checksum */
#define MB_AOUT_SIZE		32	/* + header/load/load_end/bss_end/entry addresses */

#define MB_F_PAGE_ALIGN		(1u << 0)	/* modules page-aligned: we always do */
#define MB_F_MEMINFO		(1u << 1)	/* mem_* and mmap: we always give them */
#define MB_F_VIDEO		(1u << 2)	/* accepted and ignored, like QEMU */
#define MB_F_AOUT		(1u << 16)
#define MB_F_REQUIRED		0x0000ffffu	/* a loader must fail on any it does not know */
#define MB_F_KNOWN		(MB_F_PAGE_ALIGN | MB_F_MEMINFO | MB_F_VIDEO)

bool multiboot_find(const uint8_t *img, size_t len, struct mb_header *h, long *bad_csum)
{
	size_t lim = len < MB_SEARCH ? len : MB_SEARCH;

	*bad_csum = -1;
	for (size_t off = 0; off + MB_HDR_SIZE <= lim; off += 4) {
		uint32_t magic = get_le32(img + off);
		uint32_t flags = get_le32(img + off + 4);

		if (magic != MB_MAGIC)
			continue;
		/* A stray magic in code or data is not a header: keep looking. */
		if ((uint32_t)(magic + flags + get_le32(img + off + 8)) != 0) {
			if (*bad_csum < 0)
				*bad_csum = (long)off;
			continue;
		}
		h->offset = off;
		h->flags = flags;
		return true;
	}
	return false;
}

static int aout_plan(const uint8_t *img, size_t len, const struct mb_header *h,
		     struct boot_kernel *k)
{
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
	uint64_t text_off, load_size, memsz;
	struct boot_seg *s = &k->seg[0];
	const uint8_t *f;

	if (h->offset + MB_AOUT_SIZE > len)
		return err_set(-ENOEXEC, "multiboot header at 0x%zx: its a.out address fields end at 0x%zx, "
			       "beyond the end of the file (%zu bytes)", h->offset, h->offset + MB_AOUT_SIZE, len);
	if (h->offset + MB_AOUT_SIZE > MB_SEARCH)
		return err_set(-ENOEXEC, "multiboot header at 0x%zx: its a.out address fields end at 0x%zx, "
			       "beyond the first %d bytes", h->offset, h->offset + MB_AOUT_SIZE, MB_SEARCH);
	f = img + h->offset;
	header_addr = get_le32(f + 12);
	load_addr = get_le32(f + 16);
	load_end_addr = get_le32(f + 20);
	bss_end_addr = get_le32(f + 24);
	entry_addr = get_le32(f + 28);
	if (load_addr > header_addr)
		return err_set(-ENOEXEC, "multiboot load_addr 0x%x is above header_addr 0x%x",
			       load_addr, header_addr);
	/* The header's file offset tells where load_addr is in the file. */
	if (header_addr - load_addr > h->offset)
		return err_set(-ENOEXEC, "multiboot header_addr 0x%x - load_addr 0x%x = 0x%x is more than "
			       "the header's file offset 0x%zx", header_addr, load_addr,
			       header_addr - load_addr, h->offset);
	text_off = h->offset - (header_addr - load_addr);
	if (load_end_addr == 0) {
		load_size = len - text_off;
	} else {
		if (load_end_addr < load_addr)
			return err_set(-ENOEXEC, "multiboot load_end_addr 0x%x is below load_addr 0x%x",
				       load_end_addr, load_addr);
		load_size = load_end_addr - load_addr;
		if (load_size > len - text_off)
			return err_set(-ENOEXEC, "multiboot load_addr..load_end_addr (0x%x..0x%x) needs 0x%" PRIx64
				       " bytes from file offset 0x%" PRIx64 ", beyond the end of the file (%zu bytes)",
				       load_addr, load_end_addr, load_size, text_off, len);
	}
	memsz = load_size;
	if (bss_end_addr) {
		if (bss_end_addr < load_addr + load_size)
			return err_set(-ENOEXEC, "multiboot bss_end_addr 0x%x is below the end of the loaded "
				       "image 0x%" PRIx64, bss_end_addr, load_addr + load_size);
		memsz = bss_end_addr - load_addr;
	}
	if (entry_addr < load_addr || entry_addr - load_addr >= load_size)
		return err_set(-ENOEXEC, "multiboot entry_addr 0x%x is outside the loaded image "
			       "(0x%x..0x%" PRIx64 ")", entry_addr, load_addr, load_addr + load_size);

	snprintf(s->what, sizeof(s->what), "a.out image");
	s->gpa = load_addr;
	s->memsz = memsz;
	s->filesz = load_size;
	s->src = img + text_off;
	k->nseg = 1;
	k->entry = entry_addr;
	k->format = "multiboot (a.out kludge)";
	return 0;
}

int multiboot_plan(const uint8_t *img, size_t len, const struct mb_header *h,
		   struct boot_kernel *k)
{
	uint32_t unknown = h->flags & MB_F_REQUIRED & ~MB_F_KNOWN;
	int rc;

	k->mode = BOOT_PROT32;
	if (unknown) {
		unsigned int bit = 0;

		while (!(unknown & (1u << bit)))
			bit++;
		return err_set(-ENOEXEC, "multiboot header at 0x%zx requires flag bit %u (flags 0x%08x), "
			       "which specvisor does not know (it knows bits 0, 1, 2 and 16)",
			       h->offset, bit, h->flags);
	}
	if (h->flags & MB_F_AOUT)
		return aout_plan(img, len, h, k);
	rc = elf_plan(img, len, k);
	if (rc < 0)
		return err_prefix(rc, "multiboot header at 0x%zx has no a.out address fields (flag 16), "
				  "so the kernel must be ELF", h->offset);
	k->format = img[EI_CLASS] == ELFCLASS64 ? "multiboot (ELF64)" : "multiboot (ELF32)";
	return 0;
}

void multiboot_entry(const struct boot_kernel *k, uint32_t info, struct boot_entry *out)
{
	out->mode = BOOT_PROT32;
	out->rip = k->entry;
	out->rax = MULTIBOOT_BOOTLOADER_MAGIC;
	out->rbx = info;
	out->rsp = BOOT_STACK_TOP;
	out->cr3 = 0;
}
