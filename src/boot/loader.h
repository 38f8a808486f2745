/* SPDX-License-Identifier: MIT */
#ifndef SV_BOOT_LOADER_H
#define SV_BOOT_LOADER_H

/*
 * Kernel loaders.  Pure code: they write guest RAM through a struct guest_mem
 * and describe the vCPU state to start from; the KVM layer applies that state.
 * New formats (bzImage, PVH) are new files behind boot_load_image().
 *
 * Formats, detected like QEMU's -kernel:
 *   - a Multiboot v1 header (magic 0x1BADB002, valid checksum) 4-byte aligned in
 *     the first 8192 bytes: Multiboot (spec 0.6.96).  With header flag 16 the
 *     a.out-kludge address fields say where to load; otherwise the image must be
 *     ELF32 i386 or ELF64 x86-64, loaded by program header at p_paddr.
 *     Entered in 32-bit protected mode (BOOT_PROT32).
 *   - otherwise an ELF64 x86-64 file: loaded by program header at p_paddr and
 *     entered in 64-bit long mode (BOOT_LONG64).
 *
 * Refused: anything placed below 1 MiB, at or above 4 GiB (the info holds
 * 32-bit addresses), outside RAM or in the hole; segments that overlap; more
 * than 64 loadable program headers; an entry point outside the file-backed part
 * of the loaded image (ELF e_entry is virtual: it is translated through the
 * p_vaddr -> p_paddr of the segment holding it); an unknown required multiboot
 * flag (bits 3-15).  Everything is checked before the first byte is written,
 * so a failed load leaves guest RAM untouched.
 *
 * Guest physical layout (the guest contract; guest/rt relies on it):
 *   0x00500-0x00517  GDT: 0x00 null, 0x08 code, 0x10 data (flat, 4 GiB)
 *   0x01000-0x06fff  BOOT_LONG64 only: PML4 0x1000, PDPT 0x2000, PDs 0x3000-0x6fff
 *                    identity-mapping 0-4 GiB with 2 MiB pages (P|RW|PS)
 *   0x07000-0x0ffff  free for the guest (AP trampolines); never written
 *   0x10000-0x6ffff  multiboot info, then its memory map, module list and strings
 *   0x70000-0x7ffff  initial stack (rsp = 0x80000, grows down)
 *   1 MiB-...        the kernel, then the modules, each page-aligned, after the
 *                    kernel's highest address (bss included)
 *
 * The multiboot info (both modes) has flags MEM (mem_lower = 640 like QEMU,
 * mem_upper = KiB of RAM from 1 MiB to the first hole), CMDLINE ("<kernel path>"
 * or "<kernel path> <cmdline>", as QEMU passes it), MODS (start, end exclusive,
 * string, 0; string = the whole module spec), MMAP (the e820 map of e820.h, 24-byte
 * entries with size = 20) and BOOT_LOADER_NAME ("specvisor").  Video mode
 * requests (header flag 2) are accepted and not honoured: no VBE/framebuffer info.
 *
 * vCPU state on entry (all modes): RFLAGS = 0x2 (interrupts off), IDTR limit 0,
 * GDTR = {gdt_base, gdt_limit}, CS = BOOT_SEL_CODE, DS/ES/FS/GS/SS = BOOT_SEL_DATA,
 * segment bases 0 and limits 4 GiB, with hidden parts matching the GDT entries
 * (BOOT_GDT_CODE32/CODE64/DATA below), and the general registers of boot_entry;
 * registers not listed there are 0.
 *   BOOT_PROT32: CR0 = PE|ET (0x11), paging off, EFER = 0, CS 32-bit code.
 *     EAX = 0x2BADB002, EBX = info address (0x10000), ESP = 0x80000 (multiboot
 *     leaves ESP undefined: a convenience, not a promise of the spec).
 *   BOOT_LONG64: CR0 = PE|ET|PG (0x80000011), CR4 = PAE (0x20), EFER = LME|LMA
 *     (0x500), CR3 = 0x1000, CS 64-bit code (L=1).  RDI = RAX = 0x2BADB002,
 *     RSI = RBX = info address, RSP = 0x80000 (16-byte aligned, no return
 *     address pushed), RIP = the ELF entry.
 *
 * Guest RAM: gpa [0, min(size, 3 GiB)) is host[gpa]; when size > 3 GiB the rest
 * of RAM is at gpa [4 GiB, size + 1 GiB) = host[gpa - 1 GiB], leaving a hole at
 * 3-4 GiB (two KVM memory slots).  The e820 map reports exactly that.
 */

#include <stddef.h>
#include <stdint.h>

#define GMEM_HOLE_START		0xc0000000ULL	/* 3 GiB: RAM above goes to 4 GiB */
#define GMEM_HOLE_END		0x100000000ULL

#define BOOT_GDT_ADDR		0x500
#define BOOT_PML4_ADDR		0x1000
#define BOOT_INFO_ADDR		0x10000
#define BOOT_INFO_END		0x70000
#define BOOT_STACK_TOP		0x80000
#define BOOT_KERNEL_MIN		0x100000	/* nothing is loaded below 1 MiB */

#define BOOT_SEL_CODE		0x08
#define BOOT_SEL_DATA		0x10
/* The GDT entries as written; the KVM layer sets the hidden segment state from them. */
#define BOOT_GDT_CODE32		0x00cf9b000000ffffULL	/* G, D, P, DPL0, exec/read, accessed */
#define BOOT_GDT_CODE64		0x00af9b000000ffffULL	/* G, L, P, DPL0, exec/read, accessed */
#define BOOT_GDT_DATA		0x00cf93000000ffffULL	/* G, B, P, DPL0, read/write, accessed */

#define MULTIBOOT_BOOTLOADER_MAGIC	0x2badb002

/* Guest RAM as the VMM maps it; see the layout above. */
struct guest_mem {
	uint8_t *host;
	uint64_t size;		/* bytes of RAM (host[0..size-1]) */
};

/* Host pointer to gpa [gpa, gpa+len), or NULL unless all of it is RAM. */
void *gmem_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len);

/* A boot module already in memory. */
struct boot_module_data {
	const uint8_t *data;
	size_t len;
	const char *string;	/* the multiboot module string */
};

/* A kernel and its modules already in memory (tests, fuzzing, boot_load). */
struct boot_image {
	const char *name;	/* kernel path: names errors, starts the command line */
	const uint8_t *data;
	size_t len;
	const char *cmdline;	/* NULL or "" for none */
	const struct boot_module_data *mods;
	unsigned int nmods;
};

/* What `run` passes: files to read. */
struct boot_params {
	const char *kernel_path;
	const char *cmdline;		/* --append; NULL for none */
	const char *const *modules;	/* each "FILE[ ARGS...]"; the string is the whole spec */
	unsigned int nmodules;
};

enum boot_mode {
	BOOT_PROT32,		/* multiboot: 32-bit protected mode, paging off */
	BOOT_LONG64,		/* 64-bit ELF: long mode, identity-mapped 4 GiB */
};

struct boot_entry {
	enum boot_mode mode;
	uint64_t rip, rsp, rax, rbx, rsi, rdi;
	uint64_t cr3;			/* 0 for BOOT_PROT32 */
	uint64_t gdt_base;
	uint16_t gdt_limit;
	uint64_t kernel_start;		/* lowest and highest+1 address of the kernel, */
	uint64_t kernel_end;		/* bss included (for log lines) */
	const char *format;		/* "multiboot (ELF32)", "multiboot (ELF64)",
					 * "multiboot (a.out kludge)", "ELF64" */
};

/* Read the kernel and module files, then boot_load_image().  0 or -errno. */
int boot_load(struct guest_mem *mem, const struct boot_params *p, struct boot_entry *out);
/* Load an in-memory kernel and modules into mem and fill *out.  0 or -errno;
 * on failure guest RAM is unchanged and err_msg() says why. */
int boot_load_image(struct guest_mem *mem, const struct boot_image *img, struct boot_entry *out);

#endif
