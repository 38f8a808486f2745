/* SPDX-License-Identifier: MIT */
/*
 * Accesses to guest-physical addresses no device claims: reads must return
 * all-ones, writes must be dropped, and the VM must keep running.
 */
#include "rt.h"

#define HOLE_PCI	0xC0000000ull	/* below 4 GiB, above any RAM we get */
#define HOLE_FED	0xFED00000ull	/* HPET's place on a PC; nothing under specvisor */

int main(void)
{
	printf("mmio: read8 0x%llx = 0x%x\n", HOLE_PCI, mmio_read8(HOLE_PCI));
	printf("mmio: read16 0x%llx = 0x%x\n", HOLE_PCI, mmio_read16(HOLE_PCI));
	printf("mmio: read32 0x%llx = 0x%x\n", HOLE_PCI, mmio_read32(HOLE_PCI));
	printf("mmio: read64 0x%llx = 0x%llx\n", HOLE_PCI,
	       (unsigned long long)mmio_read64(HOLE_PCI));
	printf("mmio: read32 0x%llx = 0x%x\n", HOLE_FED, mmio_read32(HOLE_FED));

	mmio_write32(HOLE_PCI, 0x12345678);
	printf("mmio: write32 0x%llx 0x12345678\n", HOLE_PCI);
	mmio_write32(HOLE_FED, 0x12345678);
	printf("mmio: write32 0x%llx 0x12345678\n", HOLE_FED);
	printf("mmio: after write read32 0x%llx = 0x%x\n", HOLE_PCI, mmio_read32(HOLE_PCI));

	printf("mmio: ok\n");
	return 0;
}
