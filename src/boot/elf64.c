/* SPDX-License-Identifier: MIT */
/* 64-bit ELF kernels without a multiboot header: entered in long mode. */
#include "boot/internal.h"

int elf64_plan(const uint8_t *img, size_t len, struct boot_kernel *k)
{
	int rc = elf_plan(img, len, k);

	if (rc < 0)
		return rc;
	k->mode = BOOT_LONG64;
	k->format = "ELF64";
	return 0;
}

int elf64_entry(struct guest_mem *m, const struct boot_kernel *k, uint32_t info,
		struct boot_entry *out)
{
	int rc = pagetables_write(m, out);

	if (rc < 0)
		return rc;
	out->mode = BOOT_LONG64;
	out->rip = k->entry;	/* < 4 GiB, so identity-mapped */
	out->rsp = BOOT_STACK_TOP;
	/* Multiboot's pair in both conventions: SysV arguments and EAX/EBX. */
	out->rdi = out->rax = MULTIBOOT_BOOTLOADER_MAGIC;
	out->rsi = out->rbx = info;
	return 0;
}
