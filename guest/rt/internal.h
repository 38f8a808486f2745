/* SPDX-License-Identifier: MIT */
#ifndef GUEST_RT_INTERNAL_H
#define GUEST_RT_INTERNAL_H

/* Runtime-private glue between the assembly entry code and C. */

#include <stdint.h>

/* Saved by isr.S, lowest address first. */
struct exc_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;	/* pushed by the CPU */
};

void rt_main(uint32_t magic, uint32_t info);	/* BSP, from entry.S */
void ap_main(unsigned cpu);			/* APs, from entry.S */
void exc_dispatch(struct exc_frame *f);		/* from isr.S */
void idt_init(void);
void idt_load(void);
void mb_set_boot(uint32_t magic, uint32_t info);

extern const char ap_trampoline_start[], ap_trampoline_end[];

#endif
