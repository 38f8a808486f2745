/* SPDX-License-Identifier: MIT */
/* 64-bit ELF kernels: long-mode entry, page tables, GDT, the info they share
 * with multiboot, ELF64 under a multiboot header, RAM above 3 GiB, and
 * boot_load() reading real files. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "boot/loader.h"
#include "util/err.h"

#define MiB		(1ULL << 20)
#define GiB		(1ULL << 30)
#define RAM_SIZE	(64 * MiB)
#define FILL		0xaa
#define MB_MAGIC	0x1badb002u
#define MBI		0x10000

static struct guest_mem mem;
static uint8_t file[1 * MiB];
static struct boot_entry ent;

struct tseg {
	uint32_t type;
	uint64_t offset, paddr, vaddr, filesz, memsz;
};

static uint32_t rd32(const struct guest_mem *m, uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, gmem_ptr(m, gpa, 4), 4);
	return v;
}

static uint64_t rd64(const struct guest_mem *m, uint64_t gpa)
{
	uint64_t v;

	memcpy(&v, gmem_ptr(m, gpa, 8), 8);
	return v;
}

static uint8_t pat(size_t off)
{
	return (uint8_t)(off * 13 + (off >> 8) + 5);
}

static void mb_put(size_t off, uint32_t flags)
{
	uint32_t h[3] = { MB_MAGIC, flags, -(MB_MAGIC + flags) };

	memcpy(file + off, h, sizeof(h));
}

static size_t elf64_build(const struct tseg *s, unsigned int n, uint64_t entry)
{
	Elf64_Ehdr e = {
		.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT },
		.e_type = ET_EXEC, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
		.e_entry = entry, .e_phoff = sizeof(Elf64_Ehdr), .e_ehsize = sizeof(Elf64_Ehdr),
		.e_phentsize = sizeof(Elf64_Phdr), .e_phnum = (uint16_t)n,
	};
	size_t len = 0x1000;

	for (size_t i = 0; i < sizeof(file); i++)
		file[i] = pat(i);
	memcpy(file, &e, sizeof(e));
	for (unsigned int i = 0; i < n; i++) {
		Elf64_Phdr p = {
			.p_type = s[i].type, .p_offset = s[i].offset, .p_vaddr = s[i].vaddr,
			.p_paddr = s[i].paddr, .p_filesz = s[i].filesz, .p_memsz = s[i].memsz,
			.p_flags = PF_R | PF_X, .p_align = 0x1000,
		};

		memcpy(file + sizeof(e) + i * sizeof(p), &p, sizeof(p));
		if (s[i].type == PT_LOAD && s[i].offset < sizeof(file) &&
		    s[i].filesz <= sizeof(file) - s[i].offset && s[i].offset + s[i].filesz > len)
			len = s[i].offset + s[i].filesz;
	}
	return len;
}

static const struct tseg ksegs[] = {
	{ PT_LOAD, 0x1000, 0x100000, 0x100000, 0x2000, 0x2000 },
	{ PT_LOAD, 0x3000, 0x300000, 0x300000, 0x200, 0x5000 },
};
#define KENTRY 0x100100

static size_t kernel_build(void)
{
	return elf64_build(ksegs, 2, KENTRY);
}

static int load_in(struct guest_mem *m, size_t len, const char *cmdline,
		   const struct boot_module_data *mods, unsigned int n)
{
	/* An exact-size copy, so that ASan sees any read past the end. */
	uint8_t *copy = malloc(len ? len : 1);
	struct boot_image img = {
		.name = "k64.elf", .data = copy, .len = len, .cmdline = cmdline, .mods = mods, .nmods = n,
	};
	int rc;

	assert_non_null(copy);
	memcpy(copy, file, len);
	memset(&ent, 0, sizeof(ent));
	err_clear();
	rc = boot_load_image(m, &img, &ent);
	free(copy);
	return rc;
}

static int load(size_t len)
{
	return load_in(&mem, len, NULL, NULL, 0);
}

static void load_fails(size_t len, int rc, const char *msg)
{
	assert_int_equal(load(len), rc);
	assert_string_equal(err_msg(), msg);
	for (uint64_t a = 0; a < 4 * MiB; a += 4096)
		assert_int_equal(mem.host[a], FILL);
}

static int setup(void **state)
{
	memset(mem.host, FILL, mem.size);
	return 0;
}

/* ---- long mode --------------------------------------------------------- */

static void test_elf64_placement(void **state)
{
	assert_int_equal(load(kernel_build()), 0);
	assert_string_equal(ent.format, "ELF64");
	assert_memory_equal(mem.host + 0x100000, file + 0x1000, 0x2000);
	assert_int_equal(mem.host[0x102000], FILL);
	assert_memory_equal(mem.host + 0x300000, file + 0x3000, 0x200);
	for (uint64_t a = 0x300200; a < 0x305000; a++)
		assert_int_equal(mem.host[a], 0);
	assert_int_equal(mem.host[0x305000], FILL);
	assert_int_equal(ent.kernel_start, 0x100000);
	assert_int_equal(ent.kernel_end, 0x305000);
}

static void test_elf64_entry_state(void **state)
{
	assert_int_equal(load(kernel_build()), 0);
	assert_int_equal(ent.mode, BOOT_LONG64);
	assert_int_equal(ent.rip, KENTRY);
	assert_int_equal(ent.rsp, 0x80000);
	assert_int_equal(ent.rdi, 0x2badb002);
	assert_int_equal(ent.rax, 0x2badb002);
	assert_int_equal(ent.rsi, MBI);
	assert_int_equal(ent.rbx, MBI);
	assert_int_equal(ent.cr3, 0x1000);
	assert_int_equal(ent.gdt_base, 0x500);
	assert_int_equal(ent.gdt_limit, 23);
	assert_int_equal(rd64(&mem, 0x500), 0);
	assert_int_equal(rd64(&mem, 0x508), 0x00af9b000000ffffULL);	/* L=1, D=0 */
	assert_int_equal(rd64(&mem, 0x510), 0x00cf93000000ffffULL);
	assert_int_equal(rd64(&mem, 0x508), BOOT_GDT_CODE64);
}

/* PML4 -> PDPT -> four PDs of 2 MiB pages: identity 0-4 GiB, nothing else. */
static void test_elf64_page_tables(void **state)
{
	assert_int_equal(load(kernel_build()), 0);
	assert_int_equal(rd64(&mem, 0x1000), 0x2003);
	for (uint64_t i = 1; i < 512; i++)
		assert_int_equal(rd64(&mem, 0x1000 + i * 8), 0);
	for (uint64_t i = 0; i < 4; i++)
		assert_int_equal(rd64(&mem, 0x2000 + i * 8), (0x3000 + i * 0x1000) | 3);
	for (uint64_t i = 4; i < 512; i++)
		assert_int_equal(rd64(&mem, 0x2000 + i * 8), 0);
	for (uint64_t i = 0; i < 2048; i++)
		assert_int_equal(rd64(&mem, 0x3000 + i * 8), (i << 21) | 0x83);
	/* 0x7000-0xffff belongs to the guest; 0x518-0xfff stays as it was. */
	for (uint64_t a = 0x7000; a < 0x10000; a++)
		assert_int_equal(mem.host[a], FILL);
	for (uint64_t a = 0x518; a < 0x1000; a++)
		assert_int_equal(mem.host[a], FILL);
	for (uint64_t a = 0; a < 0x500; a++)
		assert_int_equal(mem.host[a], FILL);
}

/* The same multiboot info as multiboot kernels get. */
static void test_elf64_mbinfo(void **state)
{
	static const uint8_t m1[100] = { 9 };
	const struct boot_module_data mods[] = { { m1, sizeof(m1), "mod.bin a b" } };
	uint32_t ml;

	assert_int_equal(load_in(&mem, kernel_build(), "root=x", mods, 1), 0);
	assert_int_equal(rd32(&mem, MBI), 0x24d);
	assert_int_equal(rd32(&mem, MBI + 8), 63 * 1024);
	assert_string_equal((char *)mem.host + rd32(&mem, MBI + 16), "k64.elf root=x");
	assert_int_equal(rd32(&mem, MBI + 20), 1);
	ml = rd32(&mem, MBI + 24);
	assert_int_equal(rd32(&mem, ml), 0x305000);
	assert_int_equal(rd32(&mem, ml + 4), 0x305000 + 100);
	assert_string_equal((char *)mem.host + rd32(&mem, ml + 8), "mod.bin a b");
	assert_memory_equal(mem.host + 0x305000, m1, 100);
	assert_int_equal(rd32(&mem, MBI + 44), 96);
	assert_string_equal((char *)mem.host + rd32(&mem, MBI + 64), "specvisor");
}

/* A kernel linked in the higher half starts at the physical copy of e_entry. */
static void test_elf64_higher_half(void **state)
{
	const struct tseg s[] = { { PT_LOAD, 0x1000, 0x200000, 0xffffffff80200000ULL, 0x1000, 0x1000 } };

	assert_int_equal(load(elf64_build(s, 1, 0xffffffff80200040ULL)), 0);
	assert_int_equal(ent.rip, 0x200040);
	assert_int_equal(ent.mode, BOOT_LONG64);
}

/* ---- ELF64 under a multiboot header ---------------------------------- */

static void test_elf64_multiboot(void **state)
{
	size_t len = kernel_build();

	mb_put(0x400, 0x3);
	assert_int_equal(load(len), 0);
	assert_string_equal(ent.format, "multiboot (ELF64)");
	assert_int_equal(ent.mode, BOOT_PROT32);
	assert_int_equal(ent.rip, KENTRY);
	assert_int_equal(ent.rax, 0x2badb002);
	assert_int_equal(ent.rbx, MBI);
	assert_int_equal(ent.cr3, 0);
	assert_int_equal(rd64(&mem, 0x508), BOOT_GDT_CODE32);
	/* No page tables in protected mode. */
	assert_int_equal(mem.host[0x1000], FILL);
	assert_memory_equal(mem.host + 0x300000, file + 0x3000, 0x200);
}

static void test_elf64_multiboot_above_4g(void **state)
{
	const struct tseg s[] = { { PT_LOAD, 0x1000, 0x100000000ULL, 0x100000000ULL, 0x1000, 0x1000 } };
	size_t len = elf64_build(s, 1, 0x100000000ULL);

	mb_put(0x400, 0x3);
	load_fails(len, -ENOSPC, "kernel k64.elf: program header 0 (0x100000000..0x100001000) extends above 4 GiB");
	len = elf64_build(s, 1, 0x100000000ULL);
	load_fails(len, -ENOSPC, "kernel k64.elf: program header 0 (0x100000000..0x100001000) extends above 4 GiB");
}

/* ---- refusals -------------------------------------------------------- */

static void test_elf64_paddr_wraps(void **state)
{
	const struct tseg s[] = {
		{ PT_LOAD, 0x1000, 0x100000, 0x100000, 0x1000, 0x1000 },
		{ PT_LOAD, 0x1000, 0xfffffffffffff000ULL, 0x200000, 0x1000, 0x2000 },
	};

	load_fails(elf64_build(s, 2, 0x100000), -ENOEXEC, "kernel k64.elf: program header 1 "
		   "(0xfffffffffffff000 + 0x2000) wraps around the address space");
}

static void test_elf64_phoff_overflow(void **state)
{
	size_t len = kernel_build();
	uint64_t phoff = 0xfffffffffffffff0ULL;

	memcpy(file + offsetof(Elf64_Ehdr, e_phoff), &phoff, 8);
	load_fails(len, -ENOEXEC, "kernel k64.elf: ELF program headers (offset 0xfffffffffffffff0, "
		   "2 x 56 bytes) extend beyond the end of the file (12800 bytes)");
	phoff = len - 56;	/* the second header would end past the file */
	memcpy(file + offsetof(Elf64_Ehdr, e_phoff), &phoff, 8);
	load_fails(len, -ENOEXEC, "kernel k64.elf: ELF program headers (offset 0x31c8, "
		   "2 x 56 bytes) extend beyond the end of the file (12800 bytes)");
}

static void test_elf64_offset_overflow(void **state)
{
	const struct tseg s[] = { { PT_LOAD, 0xffffffffffffff00ULL, 0x100000, 0x100000, 0x200, 0x200 } };
	const struct tseg t[] = { { PT_LOAD, 0x1000, 0x100000, 0x100000, 0x100000000ULL, 0x100000000ULL } };

	load_fails(elf64_build(s, 1, 0x100000), -ENOEXEC, "kernel k64.elf: program header 0: file data "
		   "(offset 0xffffffffffffff00, 0x200 bytes) extends beyond the end of the file (4096 bytes)");
	load_fails(elf64_build(t, 1, 0x100000), -ENOEXEC, "kernel k64.elf: program header 0: file data "
		   "(offset 0x1000, 0x100000000 bytes) extends beyond the end of the file (4096 bytes)");
}

static void test_elf64_huge_memsz(void **state)
{
	const struct tseg s[] = { { PT_LOAD, 0x1000, 0x100000, 0x100000, 0x10, UINT64_MAX } };

	load_fails(elf64_build(s, 1, 0x100000), -ENOEXEC, "kernel k64.elf: program header 0 "
		   "(0x100000 + 0xffffffffffffffff) wraps around the address space");
}

static void test_elf64_beyond_ram(void **state)
{
	const struct tseg s[] = { { PT_LOAD, 0x1000, 0x3fff000, 0x3fff000, 0x1000, 0x1001 } };

	load_fails(elf64_build(s, 1, 0x3fff000), -ENOSPC, "kernel k64.elf: program header 0 "
		   "(0x3fff000..0x4000001) does not fit in 64 MiB of guest RAM");
}

static void test_elf64_low_memory(void **state)
{
	const struct tseg s[] = { { PT_LOAD, 0x1000, 0x0, 0x0, 0x1000, 0x1000 } };

	load_fails(elf64_build(s, 1, 0), -ENOEXEC, "kernel k64.elf: program header 0 (0x0..0x1000) "
		   "overlaps the reserved first MiB (VMM tables, trampolines, VGA and BIOS at 0x0..0x100000)");
}

static void test_elf64_entry_outside(void **state)
{
	load_fails(elf64_build(ksegs, 2, 0x400000), -ENOEXEC, "kernel k64.elf: entry point 0x400000 "
		   "is outside the loaded program headers");
	/* Higher-half entry not covered by any p_vaddr range. */
	load_fails(elf64_build(ksegs, 2, 0xffffffff80100100ULL), -ENOEXEC, "kernel k64.elf: entry point "
		   "0xffffffff80100100 is outside the loaded program headers");
}

static void test_elf64_wrong_machine(void **state)
{
	size_t len = kernel_build();

	file[18] = 183;	/* EM_AARCH64 */
	load_fails(len, -ENOEXEC, "kernel k64.elf: not a Multiboot v1 image nor a 64-bit ELF "
		   "(ELF64 for machine 183, not x86-64)");
	file[18] = EM_X86_64;
	file[EI_DATA] = ELFDATA2MSB;
	load_fails(len, -ENOEXEC, "kernel k64.elf: not a Multiboot v1 image nor a 64-bit ELF");
}

static void test_elf64_truncated_header(void **state)
{
	kernel_build();
	load_fails(63, -ENOEXEC, "kernel k64.elf: not a Multiboot v1 image nor a 64-bit ELF "
		   "(ELF64 header truncated: the file is 63 bytes)");
	load_fails(5, -ENOEXEC, "kernel k64.elf: not a Multiboot v1 image nor a 64-bit ELF "
		   "(ELF64 header truncated: the file is 5 bytes)");
	load_fails(4, -ENOEXEC, "kernel k64.elf: not a Multiboot v1 image nor a 64-bit ELF");
	/* The program headers cut. */
	load_fails(0x60, -ENOEXEC, "kernel k64.elf: ELF program headers (offset 0x40, 2 x 56 bytes) "
		   "extend beyond the end of the file (96 bytes)");
	/* The data of the last segment cut. */
	load_fails(0x3100, -ENOEXEC, "kernel k64.elf: program header 1: file data (offset 0x3000, "
		   "0x200 bytes) extends beyond the end of the file (12544 bytes)");
}

static void test_elf64_phentsize(void **state)
{
	size_t len = kernel_build();

	file[offsetof(Elf64_Ehdr, e_phentsize)] = 32;
	load_fails(len, -ENOEXEC, "kernel k64.elf: ELF64 program header size 32, expected 56");
}

/* ---- more than 3 GiB of RAM ------------------------------------------ */

static void test_ram_above_3g(void **state)
{
	uint64_t size = 4 * GiB;
	uint8_t *host = mmap(NULL, size, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct guest_mem big = { host, size };
	const struct tseg hole[] = { { PT_LOAD, 0x1000, 0xbffff000, 0xbffff000, 0x1000, 0x2000 } };
	const struct tseg top[] = { { PT_LOAD, 0x1000, 0xbfffe000, 0xbfffe000, 0x1000, 0x2000 } };
	static const uint8_t m1[8] = { 1 };
	const struct boot_module_data mods[] = { { m1, sizeof(m1), "m" } };
	uint32_t mmap_addr;

	assert_true(host != MAP_FAILED);
	assert_int_equal(load_in(&big, kernel_build(), NULL, NULL, 0), 0);
	assert_int_equal(rd32(&big, MBI + 8), (3 * GiB - MiB) >> 10);
	assert_int_equal(rd32(&big, MBI + 44), 6 * 24);
	mmap_addr = rd32(&big, MBI + 48);
	assert_int_equal(rd64(&big, mmap_addr + 4 * 24 + 4), 3 * GiB);
	assert_int_equal(rd64(&big, mmap_addr + 4 * 24 + 12), GiB);
	assert_int_equal(rd32(&big, mmap_addr + 4 * 24 + 20), 2);
	assert_int_equal(rd64(&big, mmap_addr + 5 * 24 + 4), 4 * GiB);
	assert_int_equal(rd64(&big, mmap_addr + 5 * 24 + 12), GiB);
	assert_int_equal(rd32(&big, mmap_addr + 5 * 24 + 20), 1);

	assert_int_equal(load_in(&big, elf64_build(hole, 1, 0xbffff000), NULL, NULL, 0), -ENOSPC);
	assert_string_equal(err_msg(), "kernel k64.elf: program header 0 (0xbffff000..0xc0001000) overlaps "
			    "the hole at 0xc0000000..0x100000000 (RAM below 4 GiB ends at 3 GiB)");
	/* The kernel fits up to 3 GiB; its module then falls in the hole. */
	assert_int_equal(load_in(&big, elf64_build(top, 1, 0xbfffe000), NULL, mods, 1), -ENOSPC);
	assert_string_equal(err_msg(), "module 1 \"m\" (0xc0000000..0xc0000008) overlaps the hole at "
			    "0xc0000000..0x100000000 (RAM below 4 GiB ends at 3 GiB)");
	assert_int_equal(load_in(&big, elf64_build(top, 1, 0xbfffe000), NULL, NULL, 0), 0);
	assert_int_equal(ent.kernel_end, 3 * GiB);
	munmap(host, size);
}

/* ---- boot_load(): files --------------------------------------------- */

static char dir[64];

static void write_file(const char *name, const void *data, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static int files_setup(void **state)
{
	strcpy(dir, "/tmp/test_boot_elf64.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return 0;
}

static int files_teardown(void **state)
{
	static const char *const names[] = { "k64.elf", "mod1", "mod2", "empty", "big" };
	char path[128];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

static void test_boot_load_files(void **state)
{
	char kpath[128], m1[160], m2[160];
	const char *mods[2] = { m1, m2 };
	struct boot_params p = { .kernel_path = kpath, .cmdline = "a=1", .modules = mods, .nmodules = 2 };
	size_t len = kernel_build();
	uint32_t ml;

	write_file("k64.elf", file, len);
	write_file("mod1", "hello", 5);
	write_file("mod2", "", 0);
	snprintf(kpath, sizeof(kpath), "%s/k64.elf", dir);
	snprintf(m1, sizeof(m1), "%s/mod1 x=1 y", dir);
	snprintf(m2, sizeof(m2), "%s/mod2", dir);
	memset(mem.host, FILL, 4 * MiB);
	assert_int_equal(boot_load(&mem, &p, &ent), 0);
	assert_int_equal(ent.mode, BOOT_LONG64);
	assert_memory_equal(mem.host + 0x100000, file + 0x1000, 0x2000);
	ml = rd32(&mem, MBI + 24);
	assert_int_equal(rd32(&mem, MBI + 20), 2);
	assert_memory_equal(mem.host + rd32(&mem, ml), "hello", 5);
	assert_int_equal(rd32(&mem, ml + 4) - rd32(&mem, ml), 5);
	assert_string_equal((char *)mem.host + rd32(&mem, ml + 8), m1);	/* the whole spec */
	assert_int_equal(rd32(&mem, ml + 20) - rd32(&mem, ml + 16), 0);
	assert_string_equal((char *)mem.host + rd32(&mem, ml + 24), m2);
	snprintf(m2, sizeof(m2), "%s a=1", kpath);
	assert_string_equal((char *)mem.host + rd32(&mem, MBI + 16), m2);
}

static void test_boot_load_errors(void **state)
{
	char kpath[128], epath[128], bad[160], msg[400];
	const char *mods[1] = { bad };
	struct boot_params p = { .kernel_path = "/nonexistent/k.elf" };
	struct guest_mem small = { mem.host, 2 * MiB };
	uint8_t *big = calloc(1, 2 * MiB + 1);

	assert_int_equal(boot_load(&mem, &p, &ent), -ENOENT);
	assert_string_equal(err_msg(), "kernel /nonexistent/k.elf: cannot open: No such file or directory");

	write_file("empty", "", 0);
	snprintf(epath, sizeof(epath), "%s/empty", dir);
	p.kernel_path = epath;
	assert_int_equal(boot_load(&mem, &p, &ent), -ENOEXEC);
	snprintf(msg, sizeof(msg), "kernel %s: the file is empty", epath);
	assert_string_equal(err_msg(), msg);

	/* A directory opens but does not read. */
	p.kernel_path = dir;
	assert_int_equal(boot_load(&mem, &p, &ent), -EISDIR);
	snprintf(msg, sizeof(msg), "kernel %s: read: Is a directory", dir);
	assert_string_equal(err_msg(), msg);

	/* More than guest RAM. */
	assert_non_null(big);
	write_file("big", big, 2 * MiB + 1);
	snprintf(kpath, sizeof(kpath), "%s/big", dir);
	p.kernel_path = kpath;
	assert_int_equal(boot_load(&small, &p, &ent), -EFBIG);
	snprintf(msg, sizeof(msg), "kernel %s: larger than the 2 MiB of guest RAM", kpath);
	assert_string_equal(err_msg(), msg);
	free(big);

	write_file("k64.elf", file, kernel_build());
	snprintf(kpath, sizeof(kpath), "%s/k64.elf", dir);
	p.modules = mods;
	p.nmodules = 1;
	snprintf(bad, sizeof(bad), "%s/nope arg", dir);
	assert_int_equal(boot_load(&mem, &p, &ent), -ENOENT);
	snprintf(msg, sizeof(msg), "module 1 %s/nope: cannot open: No such file or directory", dir);
	assert_string_equal(err_msg(), msg);
	snprintf(bad, sizeof(bad), " leading-space");
	assert_int_equal(boot_load(&mem, &p, &ent), -EINVAL);
	assert_string_equal(err_msg(), "module 1 \" leading-space\": no file name");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_elf64_placement, setup),
		cmocka_unit_test_setup(test_elf64_entry_state, setup),
		cmocka_unit_test_setup(test_elf64_page_tables, setup),
		cmocka_unit_test_setup(test_elf64_mbinfo, setup),
		cmocka_unit_test_setup(test_elf64_higher_half, setup),
		cmocka_unit_test_setup(test_elf64_multiboot, setup),
		cmocka_unit_test_setup(test_elf64_multiboot_above_4g, setup),
		cmocka_unit_test_setup(test_elf64_paddr_wraps, setup),
		cmocka_unit_test_setup(test_elf64_phoff_overflow, setup),
		cmocka_unit_test_setup(test_elf64_offset_overflow, setup),
		cmocka_unit_test_setup(test_elf64_huge_memsz, setup),
		cmocka_unit_test_setup(test_elf64_beyond_ram, setup),
		cmocka_unit_test_setup(test_elf64_low_memory, setup),
		cmocka_unit_test_setup(test_elf64_entry_outside, setup),
		cmocka_unit_test_setup(test_elf64_wrong_machine, setup),
		cmocka_unit_test_setup(test_elf64_truncated_header, setup),
		cmocka_unit_test_setup(test_elf64_phentsize, setup),
		cmocka_unit_test(test_ram_above_3g),
		cmocka_unit_test_setup_teardown(test_boot_load_files, files_setup, files_teardown),
		cmocka_unit_test_setup_teardown(test_boot_load_errors, files_setup, files_teardown),
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
