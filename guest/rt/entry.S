/* SPDX-License-Identifier: MIT */
/*
 * Entry points.
 *
 *   _start     32-bit protected mode, paging off (multiboot: EAX = magic,
 *              EBX = info).  Goes to long mode at once: protected-mode IRET
 *              and friends are not available on the nested test hosts, so
 *              nothing else runs in 32-bit mode.
 *   _start64   64-bit mode, as the direct-ELF64 contract leaves it
 *              (RDI = magic, RSI = info, paging on, interrupts off).
 *   ap_entry32 where the AP trampoline lands after leaving real mode.
 *
 * All three end up on our own GDT, our own page tables and their own stack.
 */
#include "layout.h"

/* 32-bit code: PAE + our PML4 + EFER.LME, then paging on.  Clobbers EAX-EDX. */
.macro ENTER_LONG_MODE
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$pml4, %eax
	mov	%eax, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$(CR0_PG | CR0_PE), %eax
	mov	%eax, %cr0
.endm

.macro LOAD_DATA_SEGMENTS
	mov	$SEL_DATA, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
.endm

	.section .text.entry, "ax"
	.code32
	.globl	_start
_start:
	cli
	cld
	mov	%eax, %edi		/* survives into 64-bit mode as RDI */
	mov	%ebx, %esi
	lgdt	gdt_ptr
	LOAD_DATA_SEGMENTS
	ENTER_LONG_MODE
	ljmp	$SEL_CODE64, $mb_entry64

	.globl	ap_entry32
ap_entry32:
	LOAD_DATA_SEGMENTS
	ENTER_LONG_MODE
	ljmp	$SEL_CODE64, $ap_entry64

	.code64
mb_entry64:
	/* Upper halves of registers are undefined after the mode switch. */
	mov	%edi, %edi
	mov	%esi, %esi
	jmp	common64

	.globl	_start64
_start64:
	cli
	cld
	mov	%edi, %edi
	mov	%esi, %esi
common64:
	lgdt	gdt_ptr
	LOAD_DATA_SEGMENTS
	mov	$(rt_stacks + RT_STACK_SIZE), %rsp
	/* Reload CS from our GDT (the direct entry came in on the VMM's). */
	pushq	$SEL_CODE64
	lea	1f(%rip), %rax
	pushq	%rax
	lretq
1:	mov	$pml4, %eax		/* same identity map, ours for sure */
	mov	%rax, %cr3
	mov	%rdi, %r12
	mov	%rsi, %r13
	mov	$__bss_start, %edi
	mov	$__bss_end, %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb
	mov	%r12d, %edi
	mov	%r13d, %esi
	call	rt_main
	jmp	park

ap_entry64:
	LOAD_DATA_SEGMENTS
	/* The xAPIC ID (0..N-1 by contract) picks this CPU's stack. */
	mov	$0xFEE00020, %edx
	mov	(%rdx), %eax
	shr	$24, %eax
	cmp	$RT_MAX_CPUS, %eax
	jae	park
	mov	%eax, %edi
	lea	1(%rax), %rdx
	imul	$RT_STACK_SIZE, %rdx, %rdx
	add	$rt_stacks, %rdx
	mov	%rdx, %rsp
	call	ap_main
park:
	cli
	hlt
	jmp	park

	.section .data
	.balign 16
	.globl	gdt
gdt:
	.quad	0
	.quad	0x00AF9B000000FFFF	/* 0x08: 64-bit code */
	.quad	0x00CF93000000FFFF	/* 0x10: flat data */
	.quad	0x00CF9B000000FFFF	/* 0x18: 32-bit code, for the AP trampoline */
	/* 32-bit LGDT reads limit + low 4 bytes of base, 64-bit the whole. */
	.balign 8
	.globl	gdt_ptr
gdt_ptr:
	.word	GDT_ENTRIES * 8 - 1
	.quad	gdt

/*
 * Identity map of the low 4 GiB with 2 MiB pages, built by the assembler so
 * no CPU time goes into it (every guest instruction is expensive here).  The
 * top GiB (LAPIC, IOAPIC, MMIO holes) is mapped uncached.
 */
#define PTE_P		0x001
#define PTE_W		0x002
#define PTE_PWT		0x008
#define PTE_PCD		0x010
#define PTE_PS		0x080
	.section .data.pagetables, "aw"
	.balign 4096
pml4:
	.quad	pdpt + (PTE_P | PTE_W)
	.fill	511, 8, 0
pdpt:
	.quad	pd + 0x0000 + (PTE_P | PTE_W)
	.quad	pd + 0x1000 + (PTE_P | PTE_W)
	.quad	pd + 0x2000 + (PTE_P | PTE_W)
	.quad	pd + 0x3000 + (PTE_P | PTE_W)
	.fill	508, 8, 0
pd:
	.set	addr, 0
	.rept	3 * 512
	.quad	addr | (PTE_P | PTE_W | PTE_PS)
	.set	addr, addr + 0x200000
	.endr
	.rept	512
	.quad	addr | (PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT)
	.set	addr, addr + 0x200000
	.endr

	.section .stacks, "aw", @nobits
	.balign 4096
	.globl	rt_stacks
rt_stacks:
	.skip	RT_MAX_CPUS * RT_STACK_SIZE

	.section .note.GNU-stack, "", @progbits
