/* SPDX-License-Identifier: MIT */
/*
 * Multiboot v1 header with the a.out kludge (flag 16).  QEMU refuses an
 * ELF64 multiboot kernel unless the header itself says where to load it, so
 * the addresses below describe the single load segment of link.ld.  Linked
 * into every multiboot guest; left out of the direct-ELF64 variants, which
 * must carry no header at all.
 */
#define MB_HEADER_MAGIC		0x1BADB002
#define MB_PAGE_ALIGN		(1 << 0)
#define MB_MEMORY_INFO		(1 << 1)
#define MB_AOUT_KLUDGE		(1 << 16)
#define MB_FLAGS		(MB_PAGE_ALIGN | MB_MEMORY_INFO | MB_AOUT_KLUDGE)

	.section .mbheader, "a"
	.balign 4
mb_header:
	.long	MB_HEADER_MAGIC
	.long	MB_FLAGS
	.long	-(MB_HEADER_MAGIC + MB_FLAGS)
	.long	mb_header		/* header_addr */
	.long	__image_start		/* load_addr */
	.long	__load_end		/* load_end_addr: file bytes stop here */
	.long	__image_end		/* bss_end_addr: loader zeroes up to here */
	.long	_start			/* entry_addr (32-bit protected mode) */

	.section .note.GNU-stack, "", @progbits
