/* SPDX-License-Identifier: MIT */
#include "internal.h"
#include "layout.h"
#include "rt.h"

/*
 * Addresses in the info structure are physical; the identity map makes
 * them usable as pointers.  Never assume where the loader put things
 * (QEMU and specvisor differ): always start from the EBX/RSI value.
 */

static uint32_t boot_magic;
static const struct mb_info *boot_info;

void mb_set_boot(uint32_t magic, uint32_t info)
{
	boot_magic = magic;
	boot_info = magic == MULTIBOOT_BOOT_MAGIC && info ?
		    (const struct mb_info *)(uintptr_t)info : NULL;
}

uint32_t mb_boot_magic(void)
{
	return boot_magic;
}

const struct mb_info *mb_info(void)
{
	return boot_info;
}

const char *mb_cmdline(void)
{
	if (!boot_info || !(boot_info->flags & MB_INFO_CMDLINE) || !boot_info->cmdline)
		return "";
	return (const char *)(uintptr_t)boot_info->cmdline;
}

unsigned mb_module_count(void)
{
	if (!boot_info || !(boot_info->flags & MB_INFO_MODS))
		return 0;
	return boot_info->mods_count;
}

const struct mb_module *mb_module(unsigned i)
{
	if (i >= mb_module_count())
		return NULL;
	return (const struct mb_module *)(uintptr_t)boot_info->mods_addr + i;
}

const struct mb_mmap_entry *mb_mmap_next(const struct mb_mmap_entry *prev)
{
	uintptr_t start, end, next;

	if (!boot_info || !(boot_info->flags & MB_INFO_MMAP))
		return NULL;
	start = boot_info->mmap_addr;
	end = start + boot_info->mmap_length;
	next = prev ? (uintptr_t)prev + prev->size + 4 : start;
	/* A whole entry must fit, or the table is malformed: stop. */
	if (next + sizeof(struct mb_mmap_entry) > end)
		return NULL;
	return (const struct mb_mmap_entry *)next;
}
