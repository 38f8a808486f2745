/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the kernel loaders (boot_load_image).
 *
 * Input: 4 control bytes, then the kernel image.
 *   byte 0: bits 0-1 number of modules, bits 2-3 which command line
 *   bytes 1-2: module length base, byte 3 (bits 0-4): shift; module i gets
 *   (base << shift) >> i bytes, capped a little above the guest RAM size.
 * Guest RAM is 64 MiB between PROT_NONE guard regions, so a write outside it
 * faults even where ASan would not see it; the parts of the first MiB the
 * loader must never write hold a pattern that is checked after every run, and
 * a failed load must not have written the GDT or the info structure.
 *
 * Built with -DFUZZ_BOOT_SEEDS (no -fsanitize=fuzzer) it is instead a program
 * that writes the seed corpus: `fuzz_boot_seeds DIR`.
 */
#include <elf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "boot/loader.h"
#include "util/err.h"

#define MiB		(1ULL << 20)
#define RAM_SIZE	(64 * MiB)
#define GUARD		(16 * MiB)
#define MOD_MAX		(RAM_SIZE + 2 * 4096)
#define SENTINEL	0x5a
#define MARK		0xee

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Never written by the loader, whatever the image (boot/loader.h layout). */
static const struct { uint64_t start, end; } untouched[] = {
	{ 0, 0x500 }, { 0x518, 0x1000 }, { 0x7000, 0x10000 }, { 0x70000, 0x100000 },
};

static struct guest_mem mem;
static const uint8_t *mod_data;
static char long_cmdline[0x5ff00];	/* near the size of the info area: some fit, some not */
static uint8_t sentinel[0x90000];	/* the largest untouched range, as it must stay */

static void fuzz_init(void)
{
	uint8_t *region = mmap(NULL, RAM_SIZE + 2 * GUARD, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	void *mods = mmap(NULL, MOD_MAX, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (region == MAP_FAILED || mods == MAP_FAILED ||
	    mprotect(region + GUARD, RAM_SIZE, PROT_READ | PROT_WRITE))
		abort();
	mem.host = region + GUARD;
	mem.size = RAM_SIZE;
	mod_data = mods;
	for (size_t i = 0; i < sizeof(untouched) / sizeof(untouched[0]); i++)
		memset(mem.host + untouched[i].start, SENTINEL, untouched[i].end - untouched[i].start);
	memset(sentinel, SENTINEL, sizeof(sentinel));
	memset(long_cmdline, 'c', sizeof(long_cmdline) - 1);
}

static uint32_t rd32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, mem.host + gpa, 4);
	return v;
}

static bool marked(uint64_t gpa)
{
	for (int i = 0; i < 8; i++) {
		if (mem.host[gpa + i] != MARK)
			return false;
	}
	return true;
}

/* What a successful load promises (boot/loader.h). */
static void check_success(const struct boot_entry *e, unsigned int nmods)
{
	uint32_t ml = rd32(0x10000 + 24);

	if (e->mode != BOOT_PROT32 && e->mode != BOOT_LONG64)
		abort();
	if (e->kernel_start < 0x100000 || e->kernel_end > RAM_SIZE || e->kernel_start >= e->kernel_end)
		abort();
	if (e->rip < e->kernel_start || e->rip >= e->kernel_end)
		abort();
	if (e->rbx != 0x10000 || e->rsp != 0x80000 || !e->format)
		abort();
	if (e->mode == BOOT_LONG64 && (e->cr3 != 0x1000 || e->rsi != 0x10000 || e->rdi != 0x2badb002))
		abort();
	if (rd32(0x10000 + 20) != nmods || ml < 0x10000 || ml + 16ULL * nmods > 0x70000)
		abort();
	for (unsigned int i = 0; i < nmods; i++) {
		uint32_t start = rd32(ml + 16 * i), end = rd32(ml + 16 * i + 4);

		if (start & 0xfff || start < e->kernel_end || end < start || end > RAM_SIZE)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cmdlines[] = { NULL, "", "console=ttyS0 quiet", long_cmdline };
	static const char *const strings[] = { "initrd.img", "mod two", "" };
	struct boot_module_data mods[3];
	struct boot_image img = { .name = "fuzz.elf" };
	struct boot_entry e;
	int rc;

	if (!mem.host)
		fuzz_init();
	if (size >= 4) {
		uint64_t len = (uint64_t)(data[1] | data[2] << 8) << (data[3] & 31);

		if (len > MOD_MAX)
			len = MOD_MAX;
		img.nmods = data[0] & 3;
		img.cmdline = cmdlines[(data[0] >> 2) & 3];
		for (unsigned int i = 0; i < img.nmods; i++)
			mods[i] = (struct boot_module_data){ mod_data, (size_t)(len >> i), strings[i] };
		img.mods = mods;
		data += 4;
		size -= 4;
	}
	img.data = data;
	img.len = size;

	/* Every success writes these; a failure must not have begun writing. */
	memset(mem.host + 0x500, MARK, 8);
	memset(mem.host + 0x10000, MARK, 8);
	err_clear();
	rc = boot_load_image(&mem, &img, &e);
	if (rc > 0 || (rc < 0 && !err_msg()[0]))
		abort();
	if (rc == 0)
		check_success(&e, img.nmods);
	else if (!marked(0x500) || !marked(0x10000))
		abort();
	for (size_t i = 0; i < sizeof(untouched) / sizeof(untouched[0]); i++) {
		if (memcmp(mem.host + untouched[i].start, sentinel, untouched[i].end - untouched[i].start))
			abort();
	}
	return 0;
}

#ifdef FUZZ_BOOT_SEEDS
/* ---- seed corpus writer ---------------------------------------------- */

static uint8_t seed[0x4000];

static void mb_header(size_t off, uint32_t flags, const uint32_t *aout)
{
	uint32_t h[8] = { 0x1badb002, flags, -(0x1badb002 + flags) };

	if (aout)
		memcpy(h + 3, aout, 5 * sizeof(*aout));
	memcpy(seed + 4 + off, h, aout ? 32 : 12);
}

/* One PT_LOAD at file offset 0x1000, 0x200 bytes of code, some bss. */
static size_t elf_seed(int bits, uint64_t paddr, uint64_t vaddr)
{
	uint8_t *f = seed + 4;

	memset(seed, 0, sizeof(seed));
	if (bits == 32) {
		Elf32_Ehdr e = { .e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS32, ELFDATA2LSB, EV_CURRENT },
				 .e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT,
				 .e_entry = (uint32_t)vaddr, .e_phoff = sizeof(e), .e_ehsize = sizeof(e),
				 .e_phentsize = sizeof(Elf32_Phdr), .e_phnum = 1 };
		Elf32_Phdr p = { .p_type = PT_LOAD, .p_offset = 0x1000, .p_vaddr = (uint32_t)vaddr,
				 .p_paddr = (uint32_t)paddr, .p_filesz = 0x200, .p_memsz = 0x1000 };

		memcpy(f, &e, sizeof(e));
		memcpy(f + sizeof(e), &p, sizeof(p));
	} else {
		Elf64_Ehdr e = { .e_ident = { 0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
				 .e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
				 .e_entry = vaddr, .e_phoff = sizeof(e), .e_ehsize = sizeof(e),
				 .e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 1 };
		Elf64_Phdr p = { .p_type = PT_LOAD, .p_offset = 0x1000, .p_vaddr = vaddr,
				 .p_paddr = paddr, .p_filesz = 0x200, .p_memsz = 0x1000 };

		memcpy(f, &e, sizeof(e));
		memcpy(f + sizeof(e), &p, sizeof(p));
	}
	for (size_t i = 0; i < 0x200; i++)
		f[0x1000 + i] = (uint8_t)(0x90 + i);
	return 4 + 0x1200;
}

static void seed_write(const char *dir, const char *name, size_t len, uint8_t c0, uint8_t c1,
		       uint8_t c2, uint8_t c3)
{
	char path[512];
	FILE *fp;

	seed[0] = c0;
	seed[1] = c1;
	seed[2] = c2;
	seed[3] = c3;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "wb");
	if (!fp || fwrite(seed, 1, len, fp) != len || fclose(fp)) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	const uint32_t aout[5] = { 0x100040, 0x100000, 0, 0x108000, 0x100080 };
	size_t len;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	len = elf_seed(32, 0x100000, 0x100000);
	mb_header(0x400, 0x3, NULL);
	seed_write(argv[1], "mb-elf32", len, 0, 0, 0, 0);
	seed_write(argv[1], "mb-elf32-mods", len, 2 | 2 << 2, 0x34, 0x12, 0);
	len = elf_seed(32, 0x100000, 0xc0100000);
	mb_header(0x400, 0x7, NULL);
	seed_write(argv[1], "mb-elf32-high-video", len, 1 | 1 << 2, 0, 0x10, 0);
	len = elf_seed(64, 0x200000, 0x200000);
	mb_header(0x400, 0x3, NULL);
	seed_write(argv[1], "mb-elf64", len, 1, 0xff, 0xff, 4);
	len = elf_seed(64, 0x200000, 0x200000);
	seed_write(argv[1], "elf64", len, 0, 0, 0, 0);
	seed_write(argv[1], "elf64-mods", len, 2 | 3 << 2, 0, 1, 3);
	len = elf_seed(64, 0x100000, 0xffffffff80100000ULL);
	seed_write(argv[1], "elf64-higher-half", len, 0, 0, 0, 0);
	memset(seed, 0, sizeof(seed));
	for (size_t i = 0; i < 0x1000; i++)
		seed[4 + i] = (uint8_t)(0x90 + i);
	mb_header(0x40, 0x10003, aout);
	seed_write(argv[1], "mb-aout", 4 + 0x1000, 1, 0x00, 0x20, 0);
	return 0;
}
#endif
