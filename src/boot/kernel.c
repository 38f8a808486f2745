/* SPDX-License-Identifier: MIT */
/* Placement checks and copying for a planned kernel, whatever its format. */
#include <errno.h>
#include <inttypes.h>

#include "boot/internal.h"
#include "util/err.h"

int kernel_check(const struct guest_mem *m, struct boot_kernel *k)
{
	k->start = UINT64_MAX;
	k->end = 0;
	for (unsigned int i = 0; i < k->nseg; i++) {
		const struct boot_seg *s = &k->seg[i];
		int rc = gmem_check_range(m, s->gpa, s->memsz, s->what);

		if (rc < 0)
			return rc;
		/* Later segments would silently overwrite earlier ones. */
		for (unsigned int j = 0; j < i; j++) {
			const struct boot_seg *t = &k->seg[j];

			if (s->memsz && t->memsz && s->gpa < t->gpa + t->memsz && t->gpa < s->gpa + s->memsz)
				return err_set(-ENOEXEC, "%s (0x%" PRIx64 "..0x%" PRIx64 ") overlaps %s "
					       "(0x%" PRIx64 "..0x%" PRIx64 ")",
					       s->what, s->gpa, s->gpa + s->memsz,
					       t->what, t->gpa, t->gpa + t->memsz);
		}
		if (s->gpa < k->start)
			k->start = s->gpa;
		if (s->gpa + s->memsz > k->end)
			k->end = s->gpa + s->memsz;
	}
	if (!k->nseg)
		return err_set(-ENOEXEC, "nothing to load");
	return 0;
}

void kernel_commit(struct guest_mem *m, const struct boot_kernel *k)
{
	for (unsigned int i = 0; i < k->nseg; i++) {
		const struct boot_seg *s = &k->seg[i];
		uint8_t *dst = gmem_ptr(m, s->gpa, s->memsz);

		/* kernel_check() guaranteed dst; zeroing covers RAM reused across boots. */
		memcpy(dst, s->src, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
}
