/* SPDX-License-Identifier: MIT */
#include "internal.h"
#include "layout.h"
#include "rt.h"

#define DEBUG_EXIT_PORT		0xf4
#define PIC1_DATA		0x21
#define PIC2_DATA		0xa1

void rt_main(uint32_t magic, uint32_t info)
{
	mb_set_boot(magic, info);
	/* Whatever the firmware left in the PICs must not reach us. */
	outb(0xff, PIC1_DATA);
	outb(0xff, PIC2_DATA);
	console_init();
	idt_init();
	idt_load();
	guest_exit((uint32_t)main());
}

void guest_exit(uint32_t code)
{
	outl(code, DEBUG_EXIT_PORT);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void guest_halt_ok(void)
{
	/* An NMI could resume us; halt again. */
	for (;;)
		__asm__ volatile("cli; hlt");
}

int cpuid_has_leaf(uint32_t leaf)
{
	uint32_t base = leaf & 0xffff0000u;

	return cpuid(base, 0).eax >= leaf;
}
