/* SPDX-License-Identifier: MIT */
/* The boot GDT and the identity page tables of the layout in boot/loader.h. */
#include <errno.h>

#include "boot/internal.h"
#include "util/err.h"

#define GDT_ENTRIES	3
#define PT_PRESENT	(1ULL << 0)
#define PT_WRITE	(1ULL << 1)
#define PT_LARGE	(1ULL << 7)	/* 2 MiB page in a PD */
#define PDPT_ADDR	(BOOT_PML4_ADDR + 0x1000)
#define PD_ADDR		(BOOT_PML4_ADDR + 0x2000)	/* four PDs: 0-4 GiB */
#define PT_END		(PD_ADDR + 4 * 0x1000)

int gdt_write(struct guest_mem *m, enum boot_mode mode, struct boot_entry *out)
{
	uint8_t *gdt = gmem_ptr(m, BOOT_GDT_ADDR, GDT_ENTRIES * 8);

	if (!gdt)
		return err_set(-ENOSPC, "no guest RAM for the GDT at 0x%x", BOOT_GDT_ADDR);
	put_le64(gdt, 0);
	put_le64(gdt + BOOT_SEL_CODE, mode == BOOT_LONG64 ? BOOT_GDT_CODE64 : BOOT_GDT_CODE32);
	put_le64(gdt + BOOT_SEL_DATA, BOOT_GDT_DATA);
	out->gdt_base = BOOT_GDT_ADDR;
	out->gdt_limit = GDT_ENTRIES * 8 - 1;
	return 0;
}

int pagetables_write(struct guest_mem *m, struct boot_entry *out)
{
	uint8_t *pt = gmem_ptr(m, BOOT_PML4_ADDR, PT_END - BOOT_PML4_ADDR);
	uint8_t *pml4, *pdpt, *pd;

	if (!pt)
		return err_set(-ENOSPC, "no guest RAM for the page tables at 0x%x", BOOT_PML4_ADDR);
	memset(pt, 0, PT_END - BOOT_PML4_ADDR);
	pml4 = pt;
	pdpt = pt + (PDPT_ADDR - BOOT_PML4_ADDR);
	pd = pt + (PD_ADDR - BOOT_PML4_ADDR);
	put_le64(pml4, PDPT_ADDR | PT_PRESENT | PT_WRITE);
	for (uint64_t i = 0; i < 4; i++)
		put_le64(pdpt + i * 8, (PD_ADDR + i * 0x1000) | PT_PRESENT | PT_WRITE);
	/* 4 x 512 entries of 2 MiB: 0-4 GiB, including the hole (MMIO for later devices). */
	for (uint64_t i = 0; i < 4 * 512; i++)
		put_le64(pd + i * 8, (i << 21) | PT_PRESENT | PT_WRITE | PT_LARGE);
	out->cr3 = BOOT_PML4_ADDR;
	return 0;
}
