/* SPDX-License-Identifier: MIT */
/* Format detection, file reading and the plan-check-commit sequence of a boot. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "boot/internal.h"
#include "util/err.h"

static int kernel_plan(const uint8_t *img, size_t len, struct boot_kernel *k)
{
	struct mb_header h;
	long bad_csum;

	if (multiboot_find(img, len, &h, &bad_csum))
		return multiboot_plan(img, len, &h, k);
	if (elf_is_x86_64(img, len))
		return elf64_plan(img, len, k);

	/* Say what came closest: it is usually one of these mistakes. */
	if (bad_csum >= 0)
		return err_set(-ENOEXEC, "not a Multiboot v1 image nor a 64-bit ELF (the multiboot magic "
			       "at 0x%lx has a bad checksum)", bad_csum);
	if (len > EI_CLASS && !memcmp(img, ELFMAG, SELFMAG) && img[EI_CLASS] == ELFCLASS32)
		return err_set(-ENOEXEC, "not a Multiboot v1 image nor a 64-bit ELF (a 32-bit ELF "
			       "needs a multiboot header in its first 8192 bytes)");
	if (len > EI_CLASS && !memcmp(img, ELFMAG, SELFMAG) && img[EI_CLASS] == ELFCLASS64) {
		if (len < sizeof(Elf64_Ehdr))
			return err_set(-ENOEXEC, "not a Multiboot v1 image nor a 64-bit ELF (ELF64 header "
				       "truncated: the file is %zu bytes)", len);
		if (img[EI_DATA] == ELFDATA2LSB)
			return err_set(-ENOEXEC, "not a Multiboot v1 image nor a 64-bit ELF (ELF64 for "
				       "machine %u, not x86-64)", img[18] | img[19] << 8);
	}
	return err_set(-ENOEXEC, "not a Multiboot v1 image nor a 64-bit ELF");
}

/* Modules go page-aligned one after the other above the kernel. */
static int modules_place(const struct guest_mem *m, const struct boot_image *img,
			 uint64_t kernel_end, uint64_t *addr)
{
	uint64_t next = kernel_end;

	for (unsigned int i = 0; i < img->nmods; i++) {
		const struct boot_module_data *md = &img->mods[i];
		char what[80];
		int rc;

		/* next <= 4 GiB here (checked below), so aligning cannot wrap. */
		next = (next + BOOT_PAGE_SIZE - 1) & ~(BOOT_PAGE_SIZE - 1);
		snprintf(what, sizeof(what), "module %u \"%s\"", i + 1, md->string ? md->string : "");
		rc = gmem_check_range(m, next, md->len, what);
		if (rc < 0)
			return rc;
		addr[i] = next;
		next += md->len;
	}
	return 0;
}

static void modules_commit(struct guest_mem *m, const struct boot_image *img, const uint64_t *addr)
{
	for (unsigned int i = 0; i < img->nmods; i++) {
		if (img->mods[i].len)
			memcpy(gmem_ptr(m, addr[i], img->mods[i].len), img->mods[i].data, img->mods[i].len);
	}
}

int boot_load_image(struct guest_mem *mem, const struct boot_image *in, struct boot_entry *out)
{
	struct e820_entry map[E820_MAX_ENTRIES];
	struct boot_image img = *in;
	struct boot_entry e = { 0 };
	struct mbinfo_args mb;
	struct boot_kernel k;
	uint64_t *mod_addr;
	int nmap, rc;

	if (!img.name)
		img.name = "(unnamed)";
	if (!mem || !mem->host)
		return err_set(-EINVAL, "kernel %s: no guest RAM to load into", img.name);
	nmap = e820_build(mem->size, map, E820_MAX_ENTRIES);
	if (nmap < 0)
		return nmap;
	if (!img.data || !img.len)
		return err_set(-ENOEXEC, "kernel %s: the file is empty", img.name);
	if (img.nmods && !img.mods)
		return err_set(-EINVAL, "kernel %s: %u modules without data", img.name, img.nmods);

	memset(&k, 0, sizeof(k));
	rc = kernel_plan(img.data, img.len, &k);
	if (rc == 0)
		rc = kernel_check(mem, &k);
	if (rc < 0)
		return err_prefix(rc, "kernel %s", img.name);

	mod_addr = calloc(img.nmods ? img.nmods : 1, sizeof(*mod_addr));
	if (!mod_addr)
		return err_set(-ENOMEM, "kernel %s: out of memory for %u modules", img.name, img.nmods);
	rc = modules_place(mem, &img, k.end, mod_addr);
	mb = (struct mbinfo_args){ .img = &img, .mod_addr = mod_addr, .map = map, .nmap = nmap };
	if (rc == 0)
		rc = mbinfo_write(mem, &mb, false);
	if (rc < 0)
		goto out;

	/* Everything fits: from here on nothing can fail for a reason of the image. */
	kernel_commit(mem, &k);
	modules_commit(mem, &img, mod_addr);
	rc = mbinfo_write(mem, &mb, true);
	if (rc == 0)
		rc = gdt_write(mem, k.mode, &e);
	if (rc == 0 && k.mode == BOOT_LONG64)
		rc = elf64_entry(mem, &k, BOOT_INFO_ADDR, &e);
	else if (rc == 0)
		multiboot_entry(&k, BOOT_INFO_ADDR, &e);
	if (rc < 0)
		goto out;
	e.kernel_start = k.start;
	e.kernel_end = k.end;
	e.format = k.format;
	*out = e;
out:
	free(mod_addr);
	return rc;
}

/* Whole file into a malloc'ed buffer, refusing more than max bytes. */
static int file_read(const char *path, uint64_t max, uint8_t **bufp, size_t *lenp)
{
	size_t len = 0, cap = 0;
	uint8_t *buf = NULL;
	char sz[32];
	int fd, rc = 0;

	*bufp = NULL;
	*lenp = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(-errno, "cannot open: %s", strerror(errno));
	for (;;) {
		ssize_t n;

		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 1 << 16;
			uint8_t *nbuf;

			if (cap > max) {
				rc = err_set(-EFBIG, "larger than the %s of guest RAM", gmem_size_str(sz, max));
				break;
			}
			nbuf = realloc(buf, ncap);
			if (!nbuf) {
				rc = err_set(-ENOMEM, "out of memory reading %zu bytes", ncap);
				break;
			}
			buf = nbuf;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = err_set(-errno, "read: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (rc == 0 && len > max)
		rc = err_set(-EFBIG, "larger than the %s of guest RAM", gmem_size_str(sz, max));
	if (rc < 0) {
		free(buf);
		return rc;
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

int boot_load(struct guest_mem *mem, const struct boot_params *p, struct boot_entry *out)
{
	struct boot_image img = { .name = p->kernel_path, .cmdline = p->cmdline };
	struct boot_module_data *mods;
	uint8_t *kbuf = NULL;
	unsigned int i;
	int rc;

	if (!mem || !p->kernel_path)
		return err_set(-EINVAL, "no kernel to load");
	if (p->nmodules && !p->modules)
		return err_set(-EINVAL, "%u modules without names", p->nmodules);
	mods = calloc(p->nmodules ? p->nmodules : 1, sizeof(*mods));
	if (!mods)
		return err_set(-ENOMEM, "out of memory for %u modules", p->nmodules);
	rc = file_read(p->kernel_path, mem->size, &kbuf, &img.len);
	if (rc < 0) {
		err_prefix(rc, "kernel %s", p->kernel_path);
		goto out;
	}
	img.data = kbuf;
	for (i = 0; i < p->nmodules; i++) {
		/* "FILE ARGS...": the file is the first word, the string all of it (QEMU's rule). */
		const char *spec = p->modules[i];
		uint8_t *buf;
		char *path = strndup(spec, strcspn(spec, " "));

		if (!path) {
			rc = err_set(-ENOMEM, "out of memory");
			goto out;
		}
		if (!*path) {
			free(path);
			rc = err_set(-EINVAL, "module %u \"%s\": no file name", i + 1, spec);
			goto out;
		}
		rc = file_read(path, mem->size, &buf, &mods[i].len);
		if (rc < 0)
			err_prefix(rc, "module %u %s", i + 1, path);
		free(path);
		if (rc < 0)
			goto out;
		mods[i].data = buf;
		mods[i].string = spec;
	}
	img.mods = mods;
	img.nmods = p->nmodules;
	rc = boot_load_image(mem, &img, out);
out:
	for (i = 0; i < p->nmodules; i++)
		free((void *)mods[i].data);
	free(mods);
	free(kbuf);
	return rc;
}
