/* SPDX-License-Identifier: MIT */
/*
 * MSR accessors that survive a fault.  Each faulting instruction has an
 * .extable entry {instruction, fixup}; exc_dispatch() finds it, moves the
 * saved RIP to the fixup and puts the vector into the saved RAX, so after
 * IRETQ the function simply returns the vector (13 for #GP).
 */

	.text
	/* int rdmsr_safe(uint32_t msr, uint64_t *val) */
	.globl	rdmsr_safe
rdmsr_safe:
	movq	$0, (%rsi)
	mov	%edi, %ecx
1:	rdmsr
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, (%rsi)
	xor	%eax, %eax
2:	ret
	.pushsection .extable, "a"
	.quad	1b, 2b
	.popsection

	/* int wrmsr_safe(uint32_t msr, uint64_t val) */
	.globl	wrmsr_safe
wrmsr_safe:
	mov	%edi, %ecx
	mov	%esi, %eax
	mov	%rsi, %rdx
	shr	$32, %rdx
3:	wrmsr
	xor	%eax, %eax
4:	ret
	.pushsection .extable, "a"
	.quad	3b, 4b
	.popsection

	.section .note.GNU-stack, "", @progbits
