/* SPDX-License-Identifier: MIT */
/* Multiboot v1 loading (ELF32 and a.out kludge), the multiboot info, and every
 * way a malformed image must be refused.  Images are built in memory. */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "boot/loader.h"
#include "util/err.h"

#define MiB		(1ULL << 20)
#define RAM_SIZE	(64 * MiB)
#define FILL		0xaa		/* guest RAM before each test */
#define MB_MAGIC	0x1badb002u
#define MB_OFF		0x400		/* where the builders put the multiboot header */
#define MBI		0x10000

static struct guest_mem mem;
static uint8_t file[2 * MiB];		/* the image under test */
static struct boot_entry ent;

/* ---- image builders ---------------------------------------------------- */

struct tseg {
	uint32_t type, offset, paddr, vaddr, filesz, memsz;
};

static void le32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);	/* x86 hosts only, like the VMM */
}

static uint32_t rd32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, mem.host + gpa, 4);
	return v;
}

static uint64_t rd64(uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, mem.host + gpa, 8);
	return v;
}

static const char *str(uint64_t gpa)
{
	return (const char *)mem.host + gpa;
}

/* Recognisable file contents: every byte depends on its file offset. */
static uint8_t pat(size_t off)
{
	return (uint8_t)(off * 7 + (off >> 8) + 1);
}

/* A multiboot header at off; with aout, the five address fields too. */
static void mb_put(uint8_t *b, size_t off, uint32_t flags, const uint32_t *aout)
{
	le32(b + off, MB_MAGIC);
	le32(b + off + 4, flags);
	le32(b + off + 8, -(MB_MAGIC + flags));
	for (int i = 0; aout && i < 5; i++)
		le32(b + off + 12 + 4 * i, aout[i]);
}

/* ELF32 i386: header, program headers at 0x34, segment data where offset says. */
static size_t elf32_build(const struct tseg *s, unsigned int n, uint32_t entry)
{
	Elf32_Ehdr e = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS32, ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC, .e_machine = EM_386, .e_version = EV_CURRENT,
		.e_entry = entry, .e_phoff = sizeof(Elf32_Ehdr), .e_ehsize = sizeof(Elf32_Ehdr),
		.e_phentsize = sizeof(Elf32_Phdr), .e_phnum = (uint16_t)n,
	};
	size_t len = 0x1000;

	for (size_t i = 0; i < sizeof(file); i++)
		file[i] = pat(i);
	memcpy(file, &e, sizeof(e));
	for (unsigned int i = 0; i < n; i++) {
		Elf32_Phdr p = {
			.p_type = s[i].type, .p_offset = s[i].offset, .p_vaddr = s[i].vaddr,
			.p_paddr = s[i].paddr, .p_filesz = s[i].filesz, .p_memsz = s[i].memsz,
			.p_flags = PF_R | PF_X, .p_align = 0x1000,
		};

		memcpy(file + sizeof(e) + i * sizeof(p), &p, sizeof(p));
		if (s[i].type == PT_LOAD && s[i].offset + s[i].filesz > len)
			len = s[i].offset + s[i].filesz;
	}
	return len;
}

/* The default kernel: text at 1 MiB, data + bss at 2 MiB ending unaligned. */
static const struct tseg ksegs[] = {
	{ PT_LOAD, 0x1000, 0x100000, 0x100000, 0x1800, 0x1800 },
	{ PT_NOTE, 0x800, 0, 0, 0x10, 0 },
	{ PT_LOAD, 0x3000, 0x200000, 0x200000, 0x100, 0x30f0 },
};
#define KENTRY 0x100010

static size_t kernel_build(uint32_t flags)
{
	size_t len = elf32_build(ksegs, 3, KENTRY);

	mb_put(file, MB_OFF, flags, NULL);
	return len;
}

/* ---- running the loader ------------------------------------------------- */

static int load(size_t len, const char *cmdline, const struct boot_module_data *mods,
		unsigned int n)
{
	/* An exact-size copy, so that ASan sees any read past the end. */
	uint8_t *copy = malloc(len ? len : 1);
	struct boot_image img = {
		.name = "k.elf", .data = copy, .len = len, .cmdline = cmdline, .mods = mods, .nmods = n,
	};
	int rc;

	assert_non_null(copy);
	memcpy(copy, file, len);
	memset(&ent, 0, sizeof(ent));
	err_clear();
	rc = boot_load_image(&mem, &img, &ent);
	free(copy);
	return rc;
}

/* Expect failure with exactly this message, and guest RAM untouched. */
static void load_fails(size_t len, int rc, const char *msg)
{
	assert_int_equal(load(len, NULL, NULL, 0), rc);
	assert_string_equal(err_msg(), msg);
	for (uint64_t a = 0; a < 4 * MiB; a += 4096)
		assert_int_equal(mem.host[a], FILL);
}

static int setup(void **state)
{
	memset(mem.host, FILL, mem.size);
	return 0;
}

/* ---- successful loads ---------------------------------------------------- */

static void test_elf32_placement(void **state)
{
	size_t len = kernel_build(0x3);

	assert_int_equal(load(len, NULL, NULL, 0), 0);
	assert_memory_equal(mem.host + 0x100000, file + 0x1000, 0x1800);
	assert_int_equal(mem.host[0x101800], FILL);		/* memsz ends there */
	assert_memory_equal(mem.host + 0x200000, file + 0x3000, 0x100);
	for (uint64_t a = 0x200100; a < 0x2030f0; a++)		/* bss zeroed */
		assert_int_equal(mem.host[a], 0);
	assert_int_equal(mem.host[0x2030f0], FILL);
	assert_int_equal(ent.kernel_start, 0x100000);
	assert_int_equal(ent.kernel_end, 0x2030f0);
	assert_string_equal(ent.format, "multiboot (ELF32)");
	/* Nothing else below 1 MiB outside the GDT and the info area. */
	for (uint64_t a = 0; a < 0x500; a++)
		assert_int_equal(mem.host[a], FILL);
	for (uint64_t a = 0x1000; a < MBI; a++)
		assert_int_equal(mem.host[a], FILL);
	for (uint64_t a = 0x70000; a < 0x100000; a++)
		assert_int_equal(mem.host[a], FILL);
}

static void test_elf32_entry_state(void **state)
{
	assert_int_equal(load(kernel_build(0x3), NULL, NULL, 0), 0);
	assert_int_equal(ent.mode, BOOT_PROT32);
	assert_int_equal(ent.rip, KENTRY);
	assert_int_equal(ent.rax, 0x2badb002);
	assert_int_equal(ent.rbx, MBI);
	assert_int_equal(ent.rsp, 0x80000);
	assert_int_equal(ent.rsi, 0);
	assert_int_equal(ent.rdi, 0);
	assert_int_equal(ent.cr3, 0);
	assert_int_equal(ent.gdt_base, 0x500);
	assert_int_equal(ent.gdt_limit, 23);
	assert_int_equal(rd64(0x500), 0);
	assert_int_equal(rd64(0x508), BOOT_GDT_CODE32);
	assert_int_equal(rd64(0x510), BOOT_GDT_DATA);
	assert_int_equal(rd64(0x508), 0x00cf9b000000ffffULL);
	assert_int_equal(rd64(0x510), 0x00cf93000000ffffULL);
	assert_int_equal(mem.host[0x518], FILL);
}

/* The info structure byte by byte: flags, memory, cmdline, modules, mmap, name. */
static void test_mbinfo_full(void **state)
{
	static const uint8_t m1[5000] = { 1, 2, 3 }, m2[1] = { 0x5a };
	const struct boot_module_data mods[] = {
		{ m1, sizeof(m1), "initrd.img root=/dev/x" },
		{ m2, sizeof(m2), "second" },
		{ NULL, 0, "empty" },
	};
	uint32_t mods_addr, mmap;

	assert_int_equal(load(kernel_build(0x3), "console=ttyS0 quiet", mods, 3), 0);
	assert_int_equal(rd32(MBI + 0), 0x24d);		/* MEM CMDLINE MODS MMAP LOADER_NAME */
	assert_int_equal(rd32(MBI + 4), 640);
	assert_int_equal(rd32(MBI + 8), 63 * 1024);
	assert_int_equal(rd32(MBI + 12), 0);		/* no boot device */
	assert_string_equal(str(rd32(MBI + 16)), "k.elf console=ttyS0 quiet");
	assert_int_equal(rd32(MBI + 20), 3);
	mods_addr = rd32(MBI + 24);
	assert_int_equal(mods_addr % 16, 0);
	/* syms, drives, config, apm, vbe: zero */
	for (uint32_t o = 28; o < 44; o++)
		assert_int_equal(mem.host[MBI + o], 0);
	for (uint32_t o = 52; o < 64; o++)
		assert_int_equal(mem.host[MBI + o], 0);
	for (uint32_t o = 68; o < 128; o++)
		assert_int_equal(mem.host[MBI + o], 0);
	assert_string_equal(str(rd32(MBI + 64)), "specvisor");

	/* Modules: page-aligned after the kernel's bss end (0x2030f0), end exclusive. */
	assert_int_equal(rd32(mods_addr + 0), 0x204000);
	assert_int_equal(rd32(mods_addr + 4), 0x204000 + 5000);
	assert_string_equal(str(rd32(mods_addr + 8)), "initrd.img root=/dev/x");
	assert_int_equal(rd32(mods_addr + 12), 0);
	assert_int_equal(rd32(mods_addr + 16), 0x206000);
	assert_int_equal(rd32(mods_addr + 20), 0x206001);
	assert_string_equal(str(rd32(mods_addr + 24)), "second");
	assert_int_equal(rd32(mods_addr + 32), 0x207000);
	assert_int_equal(rd32(mods_addr + 36), 0x207000);
	assert_string_equal(str(rd32(mods_addr + 40)), "empty");
	assert_memory_equal(mem.host + 0x204000, m1, sizeof(m1));
	assert_int_equal(mem.host[0x206000], 0x5a);
	assert_int_equal(mem.host[0x206001], FILL);
	assert_int_equal(mem.host[0x207000], FILL);

	/* The memory map: 4 entries of 24 bytes, size field 20. */
	assert_int_equal(rd32(MBI + 44), 4 * 24);
	mmap = rd32(MBI + 48);
	assert_int_equal(rd32(mmap + 0), 20);
	assert_int_equal(rd64(mmap + 4), 0);
	assert_int_equal(rd64(mmap + 12), 0x9fc00);
	assert_int_equal(rd32(mmap + 20), 1);
	assert_int_equal(rd32(mmap + 24), 20);
	assert_int_equal(rd64(mmap + 28), 0x9fc00);
	assert_int_equal(rd64(mmap + 36), 0x400);
	assert_int_equal(rd32(mmap + 44), 2);
	assert_int_equal(rd64(mmap + 52), 0xf0000);
	assert_int_equal(rd64(mmap + 60), 0x10000);
	assert_int_equal(rd32(mmap + 68), 2);
	assert_int_equal(rd32(mmap + 72), 20);
	assert_int_equal(rd64(mmap + 76), 0x100000);
	assert_int_equal(rd64(mmap + 84), 63 * MiB);
	assert_int_equal(rd32(mmap + 92), 1);

	/* Everything the info points at lies in 0x10000..0x70000. */
	assert_true(mods_addr >= MBI && mods_addr + 48 <= 0x70000);
	assert_true(mmap >= MBI && mmap + 96 <= 0x70000);
	assert_true(rd32(MBI + 16) >= MBI && rd32(MBI + 16) < 0x70000);
}

static void test_mbinfo_no_cmdline(void **state)
{
	size_t len = kernel_build(0x3);

	assert_int_equal(load(len, NULL, NULL, 0), 0);
	assert_string_equal(str(rd32(MBI + 16)), "k.elf");
	assert_int_equal(rd32(MBI + 20), 0);
	assert_int_equal(load(len, "", NULL, 0), 0);
	assert_string_equal(str(rd32(MBI + 16)), "k.elf");
}

/* Every module starts on a page, even after a page-sized one. */
static void test_modules_page_aligned(void **state)
{
	static uint8_t a[4096], b[4097], c[3];
	const struct boot_module_data mods[] = { { a, sizeof(a), "a" }, { b, sizeof(b), "b" },
						 { c, sizeof(c), "c" } };
	uint32_t ml;

	assert_int_equal(load(kernel_build(0x1), NULL, mods, 3), 0);
	ml = rd32(MBI + 24);
	assert_int_equal(rd32(ml), 0x204000);
	assert_int_equal(rd32(ml + 16), 0x205000);
	assert_int_equal(rd32(ml + 32), 0x207000);
	assert_int_equal(rd32(ml + 36), 0x207003);
}

/* A module ending exactly at the top of RAM fits. */
static void test_module_exact_fit(void **state)
{
	size_t sz = RAM_SIZE - 0x204000;
	uint8_t *big = calloc(1, sz);
	const struct boot_module_data mods[] = { { big, sz, "big" } };

	assert_non_null(big);
	assert_int_equal(load(kernel_build(0x3), NULL, mods, 1), 0);
	assert_int_equal(rd32(rd32(MBI + 24) + 4), RAM_SIZE);
	free(big);
}

/* e_entry is virtual: a kernel linked high runs at its physical copy. */
static void test_elf32_entry_translated(void **state)
{
	const struct tseg s[] = { { PT_LOAD, 0x1000, 0x100000, 0xc0100000, 0x1000, 0x2000 } };
	size_t len = elf32_build(s, 1, 0xc0100123);

	mb_put(file, MB_OFF, 0, NULL);
	assert_int_equal(load(len, NULL, NULL, 0), 0);
	assert_int_equal(ent.rip, 0x100123);
}

/* Flag 2 (video mode) is accepted and not honoured, like QEMU. */
static void test_video_flag_accepted(void **state)
{
	assert_int_equal(load(kernel_build(0x7), NULL, NULL, 0), 0);
	assert_int_equal(rd32(MBI) & (3u << 11), 0);	/* no VBE, no framebuffer info */
	/* Optional high bits are ignored. */
	assert_int_equal(load(kernel_build(0xfffe0003), NULL, NULL, 0), 0);
}

/* The header may sit anywhere 4-aligned in the first 8 KiB; the last slot works. */
static void test_header_last_slot(void **state)
{
	size_t len = kernel_build(0x3);

	memset(file + MB_OFF, 0, 12);
	mb_put(file, 8192 - 12, 0x3, NULL);
	assert_int_equal(load(len, NULL, NULL, 0), 0);
	assert_int_equal(ent.rip, KENTRY);
}

/* A stray magic with a bad checksum before the real header is skipped. */
static void test_header_after_stray_magic(void **state)
{
	size_t len = kernel_build(0x3);

	le32(file + 0x100, MB_MAGIC);
	le32(file + 0x104, 0);
	le32(file + 0x108, 0);
	assert_int_equal(load(len, NULL, NULL, 0), 0);
}

/* ET_DYN (a -pie toolchain default) loads by p_paddr too. */
static void test_elf32_dyn(void **state)
{
	size_t len = kernel_build(0x3);

	file[16] = ET_DYN;
	assert_int_equal(load(len, NULL, NULL, 0), 0);
}

/* a.out kludge: text from file offset 0 at 1 MiB, header at 0x40, bss after. */
static size_t aout_build(uint32_t load_end, uint32_t bss_end, uint32_t entry, size_t len)
{
	const uint32_t f[5] = { 0x100040, 0x100000, load_end, bss_end, entry };

	for (size_t i = 0; i < len; i++)
		file[i] = pat(i);
	mb_put(file, 0x40, 0x10003, f);
	return len;
}

static void test_aout(void **state)
{
	size_t len = aout_build(0, 0x110000, 0x100080, 0x5000);

	assert_int_equal(load(len, "x", NULL, 0), 0);
	assert_string_equal(ent.format, "multiboot (a.out kludge)");
	assert_int_equal(ent.mode, BOOT_PROT32);
	assert_int_equal(ent.rip, 0x100080);
	assert_int_equal(ent.rax, 0x2badb002);
	assert_int_equal(ent.rbx, MBI);
	assert_memory_equal(mem.host + 0x100000, file, 0x5000);
	for (uint64_t a = 0x105000; a < 0x110000; a++)
		assert_int_equal(mem.host[a], 0);
	assert_int_equal(mem.host[0x110000], FILL);
	assert_int_equal(ent.kernel_end, 0x110000);
	assert_string_equal(str(rd32(MBI + 16)), "k.elf x");
}

/* load_end_addr below the end of file loads only that much; no bss. */
static void test_aout_load_end(void **state)
{
	size_t len = aout_build(0x102000, 0, 0x100040, 0x5000);

	assert_int_equal(load(len, NULL, NULL, 0), 0);
	assert_memory_equal(mem.host + 0x100000, file, 0x2000);
	assert_int_equal(mem.host[0x102000], FILL);
	assert_int_equal(ent.kernel_end, 0x102000);
}

/* The text may start later in the file than offset 0. */
static void test_aout_text_offset(void **state)
{
	const uint32_t f[5] = { 0x300010, 0x300000, 0, 0, 0x300020 };
	size_t len = 0x3000;

	for (size_t i = 0; i < len; i++)
		file[i] = pat(i);
	mb_put(file, 0x1010, 0x10000, f);	/* load_addr is file offset 0x1000 */
	assert_int_equal(load(len, NULL, NULL, 0), 0);
	assert_memory_equal(mem.host + 0x300000, file + 0x1000, 0x2000);
	assert_int_equal(ent.rip, 0x300020);
}

/* Flag 16 wins over an ELF header, as in QEMU. */
static void test_aout_wins_over_elf(void **state)
{
	const uint32_t f[5] = { 0x500400, 0x500000, 0, 0, 0x500400 };
	size_t len = kernel_build(0x3);

	mb_put(file, MB_OFF, 0x10003, f);
	assert_int_equal(load(len, NULL, NULL, 0), 0);
	assert_string_equal(ent.format, "multiboot (a.out kludge)");
	assert_memory_equal(mem.host + 0x500000, file, len);
}

/* ---- refusals ---------------------------------------------------------- */

static void test_empty_file(void **state)
{
	load_fails(0, -ENOEXEC, "kernel k.elf: the file is empty");
}

static void test_not_a_kernel(void **state)
{
	memset(file, 0x90, 16384);
	load_fails(16384, -ENOEXEC, "kernel k.elf: not a Multiboot v1 image nor a 64-bit ELF");
	load_fails(3, -ENOEXEC, "kernel k.elf: not a Multiboot v1 image nor a 64-bit ELF");
}

static void test_bad_checksum(void **state)
{
	size_t len = kernel_build(0x3);

	le32(file + MB_OFF + 8, 0);
	load_fails(len, -ENOEXEC, "kernel k.elf: not a Multiboot v1 image nor a 64-bit ELF "
		   "(the multiboot magic at 0x400 has a bad checksum)");
}

static void test_header_beyond_8k(void **state)
{
	size_t len = kernel_build(0x3);

	memset(file + MB_OFF, 0, 12);
	mb_put(file, 8192, 0x3, NULL);
	load_fails(len, -ENOEXEC, "kernel k.elf: not a Multiboot v1 image nor a 64-bit ELF "
		   "(a 32-bit ELF needs a multiboot header in its first 8192 bytes)");
	/* Straddling 8192: the magic is inside, the checksum is not. */
	memset(file + 8192, 0, 12);
	mb_put(file, 8188, 0x3, NULL);
	load_fails(len, -ENOEXEC, "kernel k.elf: not a Multiboot v1 image nor a 64-bit ELF "
		   "(a 32-bit ELF needs a multiboot header in its first 8192 bytes)");
}

/* The header must be whole inside the file too. */
static void test_header_truncated(void **state)
{
	mb_put(file, 0, 0x3, NULL);
	load_fails(11, -ENOEXEC, "kernel k.elf: not a Multiboot v1 image nor a 64-bit ELF");
	load_fails(12, -ENOEXEC, "kernel k.elf: multiboot header at 0x0 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: not an ELF file");
}

static void test_unknown_required_flag(void **state)
{
	load_fails(kernel_build(0x8 | 0x3), -ENOEXEC, "kernel k.elf: multiboot header at 0x400 requires "
		   "flag bit 3 (flags 0x0000000b), which specvisor does not know (it knows bits 0, 1, 2 and 16)");
	load_fails(kernel_build(0x8000), -ENOEXEC, "kernel k.elf: multiboot header at 0x400 requires "
		   "flag bit 15 (flags 0x00008000), which specvisor does not know (it knows bits 0, 1, 2 and 16)");
}

static void test_not_elf_without_aout(void **state)
{
	memset(file, 0, 0x1000);
	mb_put(file, 0x40, 0x3, NULL);
	load_fails(0x1000, -ENOEXEC, "kernel k.elf: multiboot header at 0x40 has no a.out address "
		   "fields (flag 16), so the kernel must be ELF: not an ELF file");
}

static void test_elf32_wrong_machine(void **state)
{
	size_t len = kernel_build(0x3);

	file[18] = EM_X86_64;
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF32 machine 62 is not i386 (3)");
}

static void test_elf_bad_ident(void **state)
{
	size_t len = kernel_build(0x3);

	file[EI_DATA] = ELFDATA2MSB;
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF file is not little-endian (EI_DATA 2)");
	file[EI_DATA] = ELFDATA2LSB;
	file[EI_CLASS] = 7;
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF class 7 is neither ELF32 nor ELF64");
	file[EI_CLASS] = ELFCLASS32;
	file[16] = ET_REL;
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF type 1 is not an executable");
}

static void test_phentsize(void **state)
{
	size_t len = kernel_build(0x3);

	file[offsetof(Elf32_Ehdr, e_phentsize)] = 40;
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF32 program header size 40, expected 32");
}

static void test_phnum_zero_and_xnum(void **state)
{
	size_t len = kernel_build(0x3);

	memset(file + offsetof(Elf32_Ehdr, e_phnum), 0, 2);
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF file has no program headers");
	memset(file + offsetof(Elf32_Ehdr, e_phnum), 0xff, 2);
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF extended program header numbering "
		   "(e_phnum 0xffff) is not supported");
}

/* phoff near 4 GiB, and phnum * phentsize past the end of the file. */
static void test_phoff_phnum_overflow(void **state)
{
	size_t len = kernel_build(0x3);

	le32(file + offsetof(Elf32_Ehdr, e_phoff), 0xfffffff0);
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF program headers (offset 0xfffffff0, 3 x 32 "
		   "bytes) extend beyond the end of the file (12544 bytes)");
	le32(file + offsetof(Elf32_Ehdr, e_phoff), 0x34);
	file[offsetof(Elf32_Ehdr, e_phnum)] = 0xfe;
	file[offsetof(Elf32_Ehdr, e_phnum) + 1] = 0xff;
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF program headers (offset 0x34, 65534 x 32 "
		   "bytes) extend beyond the end of the file (12544 bytes)");
}

/* The file stops in the ELF header, or inside a segment's data. */
static void test_truncated(void **state)
{
	size_t len = kernel_build(0x3);

	assert_int_equal(len, 0x3100);
	/* Cut inside the second loadable segment's data. */
	load_fails(0x3080, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address "
		   "fields (flag 16), so the kernel must be ELF: program header 2: file data (offset "
		   "0x3000, 0x100 bytes) extends beyond the end of the file (12416 bytes)");
	/* Just past the multiboot header: no segment data at all. */
	load_fails(0x40c, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address "
		   "fields (flag 16), so the kernel must be ELF: program header 0: file data (offset "
		   "0x1000, 0x1800 bytes) extends beyond the end of the file (1036 bytes)");
	/* A multiboot header where the ELF magic should be. */
	mb_put(file, 0, 0x3, NULL);
	load_fails(40, -ENOEXEC, "kernel k.elf: multiboot header at 0x0 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: not an ELF file");
}

static void test_elf_truncated_header(void **state)
{
	size_t len = kernel_build(0x3);

	/* A multiboot header inside the ELF32 header, the file ending before e_phoff. */
	mb_put(file, 16, 0x3, NULL);
	load_fails(40, -ENOEXEC, "kernel k.elf: multiboot header at 0x10 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF32 header truncated: the file is 40 bytes");
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x10 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF32 machine 7085 is not i386 (3)");
	kernel_build(0x3);
	mb_put(file, 0x34, 0x3, NULL);	/* inside the program headers: they get cut at 0x40 */
	load_fails(0x40, -ENOEXEC, "kernel k.elf: multiboot header at 0x34 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF program headers (offset 0x34, 3 x 32 bytes) "
		   "extend beyond the end of the file (64 bytes)");
	load_fails(0x3c, -ENOEXEC, "kernel k.elf: not a Multiboot v1 image nor a 64-bit ELF "
		   "(a 32-bit ELF needs a multiboot header in its first 8192 bytes)");
}

static void test_filesz_above_memsz(void **state)
{
	const struct tseg s[] = { { PT_LOAD, 0x1000, 0x100000, 0x100000, 0x2000, 0x1000 } };
	size_t len = elf32_build(s, 1, 0x100000);

	mb_put(file, MB_OFF, 0x3, NULL);
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: program header 0: p_filesz 0x2000 exceeds "
		   "p_memsz 0x1000");
}

static void test_segment_low_memory(void **state)
{
	const struct tseg s[] = {
		{ PT_LOAD, 0x1000, 0x100000, 0x100000, 0x1000, 0x1000 },
		{ PT_LOAD, 0x2000, 0x7000, 0x7000, 0x1000, 0x2000 },
	};
	size_t len = elf32_build(s, 2, 0x100000);

	mb_put(file, MB_OFF, 0x3, NULL);
	load_fails(len, -ENOEXEC, "kernel k.elf: program header 1 (0x7000..0x9000) overlaps the reserved "
		   "first MiB (VMM tables, trampolines, VGA and BIOS at 0x0..0x100000)");
	/* Ending just at 1 MiB is as bad. */
	const struct tseg t[] = { { PT_LOAD, 0x1000, 0xff000, 0xff000, 0x1000, 0x2000 } };

	len = elf32_build(t, 1, 0xff000);
	mb_put(file, MB_OFF, 0x3, NULL);
	load_fails(len, -ENOEXEC, "kernel k.elf: program header 0 (0xff000..0x101000) overlaps the "
		   "reserved first MiB (VMM tables, trampolines, VGA and BIOS at 0x0..0x100000)");
}

static void test_segment_beyond_ram(void **state)
{
	const struct tseg s[] = {
		{ PT_LOAD, 0x1000, 0x100000, 0x100000, 0x1000, 0x1000 },
		{ PT_NULL, 0, 0, 0, 0, 0 },
		{ PT_LOAD, 0x2000, 0x200000, 0x200000, 0x1000, 0x8e00000 },
	};
	size_t len = elf32_build(s, 3, 0x100000);

	mb_put(file, MB_OFF, 0x3, NULL);
	load_fails(len, -ENOSPC, "kernel k.elf: program header 2 (0x200000..0x9000000) does not fit in "
		   "64 MiB of guest RAM");
}

/* bss alone pushing past the end of RAM, by one byte. */
static void test_bss_beyond_ram(void **state)
{
	const struct tseg s[] = { { PT_LOAD, 0x1000, 0x100000, 0x100000, 0x1000, RAM_SIZE - 0x100000 + 1 } };
	size_t len = elf32_build(s, 1, 0x100000);

	mb_put(file, MB_OFF, 0x3, NULL);
	load_fails(len, -ENOSPC, "kernel k.elf: program header 0 (0x100000..0x4000001) does not fit in "
		   "64 MiB of guest RAM");
	/* One byte less fits exactly. */
	const struct tseg t[] = { { PT_LOAD, 0x1000, 0x100000, 0x100000, 0x1000, RAM_SIZE - 0x100000 } };

	len = elf32_build(t, 1, 0x100000);
	mb_put(file, MB_OFF, 0x3, NULL);
	assert_int_equal(load(len, NULL, NULL, 0), 0);
	assert_int_equal(ent.kernel_end, RAM_SIZE);
}

/* 32-bit p_paddr + p_memsz beyond 4 GiB. */
static void test_segment_wraps_4g(void **state)
{
	const struct tseg s[] = {
		{ PT_LOAD, 0x1000, 0x100000, 0x100000, 0x1000, 0x1000 },
		{ PT_LOAD, 0x1000, 0xfffff000, 0xfffff000, 0x1000, 0x2000 },
	};
	size_t len = elf32_build(s, 2, 0x100000);

	mb_put(file, MB_OFF, 0x3, NULL);
	load_fails(len, -ENOSPC, "kernel k.elf: program header 1 (0xfffff000..0x100001000) extends above 4 GiB");
}

static void test_segments_overlap(void **state)
{
	const struct tseg s[] = {
		{ PT_LOAD, 0x1000, 0x100000, 0x100000, 0x1000, 0x3000 },
		{ PT_LOAD, 0x2000, 0x102000, 0x102000, 0x1000, 0x1000 },
	};
	size_t len = elf32_build(s, 2, 0x100000);

	mb_put(file, MB_OFF, 0x3, NULL);
	load_fails(len, -ENOEXEC, "kernel k.elf: program header 1 (0x102000..0x103000) overlaps program "
		   "header 0 (0x100000..0x103000)");
}

static void test_entry_outside(void **state)
{
	const struct tseg s[] = { { PT_LOAD, 0x1000, 0x100000, 0x100000, 0x1000, 0x2000 } };
	size_t len = elf32_build(s, 1, 0x101800);	/* in the bss: not code */

	mb_put(file, MB_OFF, 0x3, NULL);
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: entry point 0x101800 is outside the loaded "
		   "program headers");
}

static void test_no_loadable(void **state)
{
	const struct tseg s[] = {
		{ PT_NOTE, 0x1000, 0, 0, 0x10, 0x10 },
		{ PT_LOAD, 0x1000, 0x100000, 0x100000, 0, 0 },	/* empty: skipped */
	};
	size_t len = elf32_build(s, 2, 0x100000);

	mb_put(file, MB_OFF, 0x3, NULL);
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0x400 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: ELF file has no loadable program headers");
}

static void test_too_many_segments(void **state)
{
	struct tseg s[65];
	size_t len;

	for (unsigned int i = 0; i < 65; i++)
		s[i] = (struct tseg){ PT_LOAD, 0x1000, 0x100000 + i * 0x1000, 0x100000 + i * 0x1000, 0x10, 0x10 };
	len = elf32_build(s, 65, 0x100000);
	mb_put(file, 0x1000 - 12, 0x3, NULL);
	load_fails(len, -ENOEXEC, "kernel k.elf: multiboot header at 0xff4 has no a.out address fields "
		   "(flag 16), so the kernel must be ELF: more than 64 loadable program headers");
	len = elf32_build(s, 64, 0x100000);
	mb_put(file, 0x1000 - 12, 0x3, NULL);
	assert_int_equal(load(len, NULL, NULL, 0), 0);
}

static void test_aout_truncated(void **state)
{
	const uint32_t f[5] = { 0x100000, 0x100000, 0, 0, 0x100000 };

	memset(file, 0, 64);
	mb_put(file, 0, 0x10000, f);
	load_fails(31, -ENOEXEC, "kernel k.elf: multiboot header at 0x0: its a.out address fields end "
		   "at 0x20, beyond the end of the file (31 bytes)");
	memset(file, 0, 16384);
	mb_put(file, 8180, 0x10000, f);
	load_fails(16384, -ENOEXEC, "kernel k.elf: multiboot header at 0x1ff4: its a.out address fields "
		   "end at 0x2014, beyond the first 8192 bytes");
}

static void test_aout_bad_addresses(void **state)
{
	const uint32_t f1[5] = { 0x100040, 0x100080, 0, 0, 0x100080 };
	const uint32_t f2[5] = { 0x100080, 0x100000, 0, 0, 0x100080 };
	const uint32_t f3[5] = { 0x100040, 0x100000, 0xfffff, 0, 0x100080 };
	const uint32_t f4[5] = { 0x100040, 0x100000, 0x105001, 0, 0x100080 };
	const uint32_t f5[5] = { 0x100040, 0x100000, 0x102000, 0x101fff, 0x100080 };
	const uint32_t f6[5] = { 0x100040, 0x100000, 0x102000, 0x110000, 0x102000 };
	const uint32_t f7[5] = { 0x100040, 0x100000, 0, 0, 0xfffff };

	aout_build(0, 0, 0, 0x5000);
	mb_put(file, 0x40, 0x10000, f1);
	load_fails(0x5000, -ENOEXEC, "kernel k.elf: multiboot load_addr 0x100080 is above header_addr 0x100040");
	mb_put(file, 0x40, 0x10000, f2);
	load_fails(0x5000, -ENOEXEC, "kernel k.elf: multiboot header_addr 0x100080 - load_addr 0x100000 "
		   "= 0x80 is more than the header's file offset 0x40");
	mb_put(file, 0x40, 0x10000, f3);
	load_fails(0x5000, -ENOEXEC, "kernel k.elf: multiboot load_end_addr 0xfffff is below load_addr 0x100000");
	mb_put(file, 0x40, 0x10000, f4);
	load_fails(0x5000, -ENOEXEC, "kernel k.elf: multiboot load_addr..load_end_addr (0x100000..0x105001) "
		   "needs 0x5001 bytes from file offset 0x0, beyond the end of the file (20480 bytes)");
	mb_put(file, 0x40, 0x10000, f5);
	load_fails(0x5000, -ENOEXEC, "kernel k.elf: multiboot bss_end_addr 0x101fff is below the end of "
		   "the loaded image 0x102000");
	mb_put(file, 0x40, 0x10000, f6);
	load_fails(0x5000, -ENOEXEC, "kernel k.elf: multiboot entry_addr 0x102000 is outside the loaded "
		   "image (0x100000..0x102000)");
	mb_put(file, 0x40, 0x10000, f7);
	load_fails(0x5000, -ENOEXEC, "kernel k.elf: multiboot entry_addr 0xfffff is outside the loaded "
		   "image (0x100000..0x105000)");
}

static void test_aout_placement(void **state)
{
	const uint32_t low[5] = { 0x10040, 0x10000, 0, 0, 0x10040 };
	const uint32_t high[5] = { 0xfffff040, 0xfffff000, 0, 0, 0xfffff040 };
	const uint32_t bss[5] = { 0x100040, 0x100000, 0, 0x4000001, 0x100040 };

	aout_build(0, 0, 0, 0x5000);
	mb_put(file, 0x40, 0x10000, low);
	load_fails(0x5000, -ENOEXEC, "kernel k.elf: a.out image (0x10000..0x15000) overlaps the reserved "
		   "first MiB (VMM tables, trampolines, VGA and BIOS at 0x0..0x100000)");
	mb_put(file, 0x40, 0x10000, high);
	load_fails(0x5000, -ENOSPC, "kernel k.elf: a.out image (0xfffff000..0x100004000) extends above 4 GiB");
	mb_put(file, 0x40, 0x10000, bss);
	load_fails(0x5000, -ENOSPC, "kernel k.elf: a.out image (0x100000..0x4000001) does not fit in "
		   "64 MiB of guest RAM");
}

/* A module that does not fit leaves RAM untouched, kernel included. */
static void test_module_too_big(void **state)
{
	size_t sz = RAM_SIZE - 0x204000 + 1;
	uint8_t *big = calloc(1, sz);
	const struct boot_module_data mods[] = { { big, 10, "small" }, { big, sz, "big.bin x=1" } };

	assert_non_null(big);
	assert_int_equal(load(kernel_build(0x3), NULL, mods, 2), -ENOSPC);
	assert_string_equal(err_msg(), "module 2 \"big.bin x=1\" (0x205000..0x4001001) does not fit in "
			    "64 MiB of guest RAM");
	for (uint64_t a = 0; a < 4 * MiB; a += 4096)
		assert_int_equal(mem.host[a], FILL);
	free(big);
}

/* Command line and module strings must fit in 0x10000..0x70000. */
static void test_mbinfo_overflow(void **state)
{
	size_t n = 0x60000;
	char *cmd = malloc(n + 1);
	struct boot_module_data *mods = calloc(30000, sizeof(*mods));

	assert_non_null(cmd);
	assert_non_null(mods);
	memset(cmd, 'a', n);
	cmd[n] = '\0';
	assert_int_equal(load(kernel_build(0x3), cmd, NULL, 0), -ENOSPC);
	assert_string_equal(err_msg(), "multiboot info: no room for the command line (0x60007 bytes) "
			    "in 0x10000..0x70000, 0xe0 bytes already used");
	/* The biggest command line that fits: 0x60000 - 0xe0 - strlen("specvisor") - 1. */
	cmd[0x60000 - 0xe0 - 10 - 7] = '\0';
	assert_int_equal(load(kernel_build(0x3), cmd, NULL, 0), 0);
	assert_int_equal(strlen(str(rd32(MBI + 16))), 0x60000 - 0xe0 - 10 - 1);
	assert_string_equal(str(rd32(MBI + 64)), "specvisor");
	assert_int_equal(rd32(MBI + 64) + 10, 0x70000);

	/* Too many modules for the module list itself. */
	for (int i = 0; i < 30000; i++)
		mods[i] = (struct boot_module_data){ NULL, 0, "m" };
	memset(mem.host, FILL, 4 * MiB);
	assert_int_equal(load(kernel_build(0x3), NULL, mods, 30000), -ENOSPC);
	assert_string_equal(err_msg(), "multiboot info: no room for the module list (0x75300 bytes) in "
			    "0x10000..0x70000, 0xe0 bytes already used");
	/* The list fits, but not all the strings. */
	assert_int_equal(load(kernel_build(0x3), NULL, mods, 22000), -ENOSPC);
	assert_string_equal(err_msg(), "multiboot info: no room for the string of module 20489 "
			    "(0x2 bytes) in 0x10000..0x70000, 0x60000 bytes already used");
	for (uint64_t a = 0; a < 4 * MiB; a += 4096)
		assert_int_equal(mem.host[a], FILL);
	free(cmd);
	free(mods);
}

static void test_ram_too_small(void **state)
{
	struct guest_mem small = { mem.host, 1 * MiB };
	struct boot_image img = { .name = "k.elf", .data = file, .len = kernel_build(0x3) };

	assert_int_equal(boot_load_image(&small, &img, &ent), -EINVAL);
	assert_string_equal(err_msg(), "guest RAM of 1 MiB is too small: booting needs at least 2 MiB");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_elf32_placement, setup),
		cmocka_unit_test_setup(test_elf32_entry_state, setup),
		cmocka_unit_test_setup(test_mbinfo_full, setup),
		cmocka_unit_test_setup(test_mbinfo_no_cmdline, setup),
		cmocka_unit_test_setup(test_modules_page_aligned, setup),
		cmocka_unit_test_setup(test_module_exact_fit, setup),
		cmocka_unit_test_setup(test_elf32_entry_translated, setup),
		cmocka_unit_test_setup(test_video_flag_accepted, setup),
		cmocka_unit_test_setup(test_header_last_slot, setup),
		cmocka_unit_test_setup(test_header_after_stray_magic, setup),
		cmocka_unit_test_setup(test_elf32_dyn, setup),
		cmocka_unit_test_setup(test_aout, setup),
		cmocka_unit_test_setup(test_aout_load_end, setup),
		cmocka_unit_test_setup(test_aout_text_offset, setup),
		cmocka_unit_test_setup(test_aout_wins_over_elf, setup),
		cmocka_unit_test_setup(test_empty_file, setup),
		cmocka_unit_test_setup(test_not_a_kernel, setup),
		cmocka_unit_test_setup(test_bad_checksum, setup),
		cmocka_unit_test_setup(test_header_beyond_8k, setup),
		cmocka_unit_test_setup(test_header_truncated, setup),
		cmocka_unit_test_setup(test_unknown_required_flag, setup),
		cmocka_unit_test_setup(test_not_elf_without_aout, setup),
		cmocka_unit_test_setup(test_elf32_wrong_machine, setup),
		cmocka_unit_test_setup(test_elf_bad_ident, setup),
		cmocka_unit_test_setup(test_phentsize, setup),
		cmocka_unit_test_setup(test_phnum_zero_and_xnum, setup),
		cmocka_unit_test_setup(test_phoff_phnum_overflow, setup),
		cmocka_unit_test_setup(test_truncated, setup),
		cmocka_unit_test_setup(test_elf_truncated_header, setup),
		cmocka_unit_test_setup(test_filesz_above_memsz, setup),
		cmocka_unit_test_setup(test_segment_low_memory, setup),
		cmocka_unit_test_setup(test_segment_beyond_ram, setup),
		cmocka_unit_test_setup(test_bss_beyond_ram, setup),
		cmocka_unit_test_setup(test_segment_wraps_4g, setup),
		cmocka_unit_test_setup(test_segments_overlap, setup),
		cmocka_unit_test_setup(test_entry_outside, setup),
		cmocka_unit_test_setup(test_no_loadable, setup),
		cmocka_unit_test_setup(test_too_many_segments, setup),
		cmocka_unit_test_setup(test_aout_truncated, setup),
		cmocka_unit_test_setup(test_aout_bad_addresses, setup),
		cmocka_unit_test_setup(test_aout_placement, setup),
		cmocka_unit_test_setup(test_module_too_big, setup),
		cmocka_unit_test_setup(test_mbinfo_overflow, setup),
		cmocka_unit_test_setup(test_ram_too_small, setup),
	};
	int rc;

	mem.size = RAM_SIZE;
	mem.host = malloc(RAM_SIZE);
	if (!mem.host)
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	free(mem.host);
	return rc;
}
