/* SPDX-License-Identifier: MIT */
/*
 * Interrupt entry stubs.  Vectors 0-31 build a struct exc_frame (idt.h) and
 * call exc_dispatch(), which may rewrite the saved RIP/RAX (fixups for the
 * *_safe accessors) before IRETQ resumes.  Vectors 32-255 are never expected
 * (the PIC is masked, no LAPIC timer is armed): they get an EOI and return.
 */

/* Vectors for which the CPU pushes an error code. */
.macro EXC_STUB vec
exc_stub_\vec:
	.if !((\vec == 8) || (\vec >= 10 && \vec <= 14) || (\vec == 17) || (\vec == 21) || (\vec == 29) || (\vec == 30))
	pushq	$0
	.endif
	pushq	$\vec
	jmp	exc_common
.endm

	.text
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	EXC_STUB \v
	.endr

exc_common:
	/* Order must match struct exc_frame, lowest address last pushed. */
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	mov	%rsp, %rdi		/* 16-byte aligned: 22 quadwords below the CPU-aligned frame */
	cld
	call	exc_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	add	$16, %rsp		/* vector and error code */
	iretq

	.globl	irq_ignore
irq_ignore:
	pushq	%rax
	movl	$0xFEE000B0, %eax	/* xAPIC EOI register */
	movl	$0, (%rax)
	popq	%rax
	iretq

	.section .rodata
	.balign 8
	.globl	exc_stub_table
exc_stub_table:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad	exc_stub_\v
	.endr

	.section .note.GNU-stack, "", @progbits
