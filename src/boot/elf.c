/* SPDX-License-Identifier: MIT */
/* ELF32 i386 / ELF64 x86-64 program headers -> planned segments. */
#include <elf.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "boot/internal.h"
#include "util/err.h"

/* The fields we use, whatever the class. */
struct elf_hdr {
	unsigned int bits;
	uint16_t type, machine, phentsize, phnum;
	uint64_t entry, phoff;
};

struct elf_phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

static int elf_hdr_read(const uint8_t *img, size_t len, struct elf_hdr *h)
{
	if (len < SELFMAG || memcmp(img, ELFMAG, SELFMAG))
		return err_set(-ENOEXEC, "not an ELF file");
	if (len < EI_NIDENT)
		return err_set(-ENOEXEC, "ELF header truncated: the file is %zu bytes", len);
	if (img[EI_DATA] != ELFDATA2LSB)
		return err_set(-ENOEXEC, "ELF file is not little-endian (EI_DATA %u)", img[EI_DATA]);
	if (img[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr e;

		if (len < sizeof(e))
			return err_set(-ENOEXEC, "ELF32 header truncated: the file is %zu bytes", len);
		memcpy(&e, img, sizeof(e));
		*h = (struct elf_hdr){ 32, e.e_type, e.e_machine, e.e_phentsize, e.e_phnum,
				       e.e_entry, e.e_phoff };
		if (h->machine != EM_386)
			return err_set(-ENOEXEC, "ELF32 machine %u is not i386 (%u)", h->machine, EM_386);
		if (h->phentsize != sizeof(Elf32_Phdr))
			return err_set(-ENOEXEC, "ELF32 program header size %u, expected %zu",
				       h->phentsize, sizeof(Elf32_Phdr));
	} else if (img[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr e;

		if (len < sizeof(e))
			return err_set(-ENOEXEC, "ELF64 header truncated: the file is %zu bytes", len);
		memcpy(&e, img, sizeof(e));
		*h = (struct elf_hdr){ 64, e.e_type, e.e_machine, e.e_phentsize, e.e_phnum,
				       e.e_entry, e.e_phoff };
		if (h->machine != EM_X86_64)
			return err_set(-ENOEXEC, "ELF64 machine %u is not x86-64 (%u)", h->machine, EM_X86_64);
		if (h->phentsize != sizeof(Elf64_Phdr))
			return err_set(-ENOEXEC, "ELF64 program header size %u, expected %zu",
				       h->phentsize, sizeof(Elf64_Phdr));
	} else {
		return err_set(-ENOEXEC, "ELF class %u is neither ELF32 nor ELF64", img[EI_CLASS]);
	}
	/* ET_DYN too: a kernel linked -pie by a default toolchain still loads at p_paddr. */
	if (h->type != ET_EXEC && h->type != ET_DYN)
		return err_set(-ENOEXEC, "ELF type %u is not an executable", h->type);
	if (h->phnum == 0)
		return err_set(-ENOEXEC, "ELF file has no program headers");
	if (h->phnum == PN_XNUM)
		return err_set(-ENOEXEC, "ELF extended program header numbering (e_phnum 0xffff) is not supported");
	/* phnum * phentsize <= 0xfffe * 56: no overflow. */
	if (h->phoff > len || (uint64_t)h->phnum * h->phentsize > len - h->phoff)
		return err_set(-ENOEXEC, "ELF program headers (offset 0x%" PRIx64 ", %u x %u bytes) "
			       "extend beyond the end of the file (%zu bytes)",
			       h->phoff, h->phnum, h->phentsize, len);
	return 0;
}

static void elf_phdr_read(const uint8_t *img, const struct elf_hdr *h, unsigned int i,
			  struct elf_phdr *ph)
{
	const uint8_t *p = img + h->phoff + (size_t)i * h->phentsize;

	if (h->bits == 32) {
		Elf32_Phdr e;

		memcpy(&e, p, sizeof(e));
		*ph = (struct elf_phdr){ e.p_type, e.p_offset, e.p_vaddr, e.p_paddr, e.p_filesz, e.p_memsz };
	} else {
		Elf64_Phdr e;

		memcpy(&e, p, sizeof(e));
		*ph = (struct elf_phdr){ e.p_type, e.p_offset, e.p_vaddr, e.p_paddr, e.p_filesz, e.p_memsz };
	}
}

bool elf_is_x86_64(const uint8_t *img, size_t len)
{
	return len >= sizeof(Elf64_Ehdr) && !memcmp(img, ELFMAG, SELFMAG) &&
	       img[EI_CLASS] == ELFCLASS64 && img[EI_DATA] == ELFDATA2LSB &&
	       (img[18] | img[19] << 8) == EM_X86_64;	/* e_machine */
}

int elf_plan(const uint8_t *img, size_t len, struct boot_kernel *k)
{
	uint64_t vaddr[BOOT_MAX_SEGS] = { 0 };
	struct elf_hdr h = { 0 };
	int rc;

	rc = elf_hdr_read(img, len, &h);
	if (rc < 0)
		return rc;
	k->nseg = 0;
	for (unsigned int i = 0; i < h.phnum; i++) {
		struct elf_phdr ph;
		struct boot_seg *s;

		elf_phdr_read(img, &h, i, &ph);
		if (ph.type != PT_LOAD)
			continue;
		if (ph.filesz > ph.memsz)
			return err_set(-ENOEXEC, "program header %u: p_filesz 0x%" PRIx64 " exceeds p_memsz 0x%" PRIx64,
				       i, ph.filesz, ph.memsz);
		if (ph.memsz == 0)
			continue;
		if (ph.offset > len || ph.filesz > len - ph.offset)
			return err_set(-ENOEXEC, "program header %u: file data (offset 0x%" PRIx64 ", 0x%" PRIx64
				       " bytes) extends beyond the end of the file (%zu bytes)",
				       i, ph.offset, ph.filesz, len);
		if (k->nseg == BOOT_MAX_SEGS)
			return err_set(-ENOEXEC, "more than %d loadable program headers", BOOT_MAX_SEGS);
		vaddr[k->nseg] = ph.vaddr;
		s = &k->seg[k->nseg++];
		snprintf(s->what, sizeof(s->what), "program header %u", i);
		s->gpa = ph.paddr;
		s->memsz = ph.memsz;
		s->filesz = ph.filesz;
		s->src = img + ph.offset;
	}
	if (!k->nseg)
		return err_set(-ENOEXEC, "ELF file has no loadable program headers");

	/* e_entry is virtual; where p_vaddr != p_paddr run it at its physical copy. */
	for (unsigned int i = 0; i < k->nseg; i++) {
		if (h.entry >= vaddr[i] && h.entry - vaddr[i] < k->seg[i].filesz) {
			k->entry = h.entry - vaddr[i] + k->seg[i].gpa;
			return 0;
		}
	}
	return err_set(-ENOEXEC, "entry point 0x%" PRIx64 " is outside the loaded program headers", h.entry);
}
