/* SPDX-License-Identifier: MIT */
#include "internal.h"
#include "layout.h"
#include "rt.h"

#define IDT_VECTORS	256
#define GATE_INTR64	0x8e	/* present, DPL0, 64-bit interrupt gate */

struct idt_gate {
	uint16_t off_lo;
	uint16_t sel;
	uint8_t ist;
	uint8_t type;
	uint16_t off_mid;
	uint32_t off_hi;
	uint32_t reserved;
} __attribute__((packed));

struct extable_entry {
	uint64_t insn, fixup;
};

extern const uint64_t exc_stub_table[32];
extern const char irq_ignore[];
extern const struct extable_entry __extable_start[], __extable_end[];

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));

volatile struct exc_record exc_last;
volatile unsigned exc_count;

static void set_gate(unsigned vec, uint64_t handler)
{
	struct idt_gate *g = &idt[vec];

	g->off_lo = (uint16_t)handler;
	g->sel = SEL_CODE64;
	g->ist = 0;
	g->type = GATE_INTR64;
	g->off_mid = (uint16_t)(handler >> 16);
	g->off_hi = (uint32_t)(handler >> 32);
	g->reserved = 0;
}

void idt_init(void)
{
	unsigned v;

	for (v = 0; v < 32; v++)
		set_gate(v, exc_stub_table[v]);
	for (; v < IDT_VECTORS; v++)
		set_gate(v, (uint64_t)irq_ignore);
}

void idt_load(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(idt) - 1, (uint64_t)idt };

	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void exc_dispatch(struct exc_frame *f)
{
	const struct extable_entry *e;

	exc_last.vector = f->vector;
	exc_last.error = f->error;
	exc_last.rip = f->rip;
	exc_count++;

	for (e = __extable_start; e < __extable_end; e++) {
		if (e->insn == f->rip) {
			f->rip = e->fixup;
			f->rax = f->vector;	/* the *_safe function's result */
			return;
		}
	}

	console_break_lock();
	printf("UNEXPECTED EXCEPTION vec=%lu err=0x%lx rip=0x%lx\n",
	       (unsigned long)f->vector, (unsigned long)f->error,
	       (unsigned long)f->rip);
	guest_exit(3);
}
