/* SPDX-License-Identifier: MIT */
/*
 * AP start-up code.  Never run in place: smp_start_aps() copies the bytes
 * between ap_trampoline_start and ap_trampoline_end to AP_TRAMPOLINE_ADDR,
 * and the SIPI starts the AP there in real mode with CS = address >> 4,
 * IP = 0.  So everything inside is addressed relative to CS.  It only has to
 * reach 32-bit protected mode; ap_entry32 (entry.S, at its link address)
 * does the rest exactly as the BSP did.
 */
#include "layout.h"

	.section .rodata
	.code16
	.globl	ap_trampoline_start
	.globl	ap_trampoline_end
ap_trampoline_start:
	cli
	cld
	lgdtl	%cs:(ap_gdt_ptr - ap_trampoline_start)
	mov	%cr0, %eax
	or	$CR0_PE, %eax
	mov	%eax, %cr0
	ljmpl	$SEL_CODE32, $ap_entry32

	.balign 8
ap_gdt_ptr:
	.word	GDT_ENTRIES * 8 - 1	/* the table of entry.S; it sits below 4 GiB */
	.long	gdt
ap_trampoline_end:
	.code64

	.section .note.GNU-stack, "", @progbits
