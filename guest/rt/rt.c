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
	guest_exit(main());
}

void guest_exit(int code)
{
	outl((uint32_t)code, DEBUG_EXIT_PORT);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void guest_poweroff(void)
{
	/* ACPI PM1a_CNT of QEMU's q35 machine: SLP_EN (bit 13) powers off.
	 * specvisor implements the same port; it exits with status 0. */
	outw(0x2000, 0x604);
	/* Nobody listening (other VMMs): halt. An NMI could resume us. */
	for (;;)
		__asm__ volatile("cli; hlt");
}

int cpuid_has_leaf(uint32_t leaf)
{
	uint32_t base = leaf & 0xffff0000u;

	return cpuid(base, 0).eax >= leaf;
}
