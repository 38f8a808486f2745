/* SPDX-License-Identifier: MIT */
/* Guest RAM addressing and the "may a kernel go there" check. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "boot/internal.h"
#include "util/err.h"

void *gmem_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	uint64_t low, off, high;

	if (!m || !m->host)
		return NULL;
	low = m->size < GMEM_HOLE_START ? m->size : GMEM_HOLE_START;
	/* Compare by subtraction so that gpa + len never overflows. */
	if (gpa <= low && len <= low - gpa)
		return m->host + gpa;
	if (m->size <= GMEM_HOLE_START || gpa < GMEM_HOLE_END)
		return NULL;
	off = gpa - GMEM_HOLE_END;
	high = m->size - GMEM_HOLE_START;
	if (off <= high && len <= high - off)
		return m->host + GMEM_HOLE_START + off;
	return NULL;
}

const char *gmem_size_str(char buf[32], uint64_t size)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	unsigned int u = 0;

	while (u < 4 && size && !(size & 1023)) {
		size >>= 10;
		u++;
	}
	snprintf(buf, 32, "%" PRIu64 " %s", size, unit[u]);
	return buf;
}

int gmem_check_range(const struct guest_mem *m, uint64_t gpa, uint64_t len, const char *what)
{
	char sz[32];

	if (len > UINT64_MAX - gpa)
		return err_set(-ENOEXEC, "%s (0x%" PRIx64 " + 0x%" PRIx64 ") wraps around the address space",
			       what, gpa, len);
	if (gpa < BOOT_KERNEL_MIN)
		return err_set(-ENOEXEC, "%s (0x%" PRIx64 "..0x%" PRIx64 ") overlaps the reserved first MiB "
			       "(VMM tables, trampolines, VGA and BIOS at 0x0..0x100000)",
			       what, gpa, gpa + len);
	/* The multiboot info and its module list hold 32-bit addresses. */
	if (gpa + len > BOOT_4G)
		return err_set(-ENOSPC, "%s (0x%" PRIx64 "..0x%" PRIx64 ") extends above 4 GiB",
			       what, gpa, gpa + len);
	if (!gmem_ptr(m, gpa, len)) {
		if (m->size > GMEM_HOLE_START)
			return err_set(-ENOSPC, "%s (0x%" PRIx64 "..0x%" PRIx64 ") overlaps the hole at "
				       "0xc0000000..0x100000000 (RAM below 4 GiB ends at 3 GiB)",
				       what, gpa, gpa + len);
		return err_set(-ENOSPC, "%s (0x%" PRIx64 "..0x%" PRIx64 ") does not fit in %s of guest RAM",
			       what, gpa, gpa + len, gmem_size_str(sz, m->size));
	}
	return 0;
}
