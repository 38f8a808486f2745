/* SPDX-License-Identifier: MIT */
/* Echo what the loader handed over: command line, modules, memory. */
#include "rt.h"

#define FIRST_BYTES	16

static void print_module(unsigned i, const struct mb_module *m)
{
	const uint8_t *p = (const uint8_t *)(uintptr_t)m->mod_start;
	uint32_t size = m->mod_end - m->mod_start;
	const char *str = m->string ? (const char *)(uintptr_t)m->string : "";

	console_lock();
	printf_nolock("module %u: start=0x%x size=%u string=%s first=", i,
		      m->mod_start, size, str);
	for (uint32_t j = 0; j < size && j < FIRST_BYTES; j++)
		console_putc(p[j] >= 0x20 && p[j] < 0x7f ? (char)p[j] : '.');
	console_putc('\n');
	console_unlock();
}

int main(void)
{
	const struct mb_info *mbi = mb_info();
	const struct mb_mmap_entry *e;
	unsigned n;

	if (!mbi) {
		printf("cmdline: no multiboot info (magic=0x%x)\n", mb_boot_magic());
		return 1;
	}
	printf("cmdline: %s\n", mb_cmdline());
	if (mbi->flags & MB_INFO_MEMORY) {
		printf("mem_lower: %u\n", mbi->mem_lower);
		printf("mem_upper: %u\n", mbi->mem_upper);
	}
	n = mb_module_count();
	printf("modules: %u\n", n);
	for (unsigned i = 0; i < n; i++)
		print_module(i, mb_module(i));
	for (e = mb_mmap_next(NULL); e; e = mb_mmap_next(e))
		printf("mmap: base=0x%llx len=0x%llx type=%u\n",
		       (unsigned long long)e->base, (unsigned long long)e->len, e->type);
	printf("loader: done\n");
	return 0;
}
