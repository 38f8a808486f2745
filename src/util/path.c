/* SPDX-License-Identifier: MIT */
#include "util/path.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/err.h"

int path_find_data(char *buf, size_t len, const char *const *rels)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	if (n <= 0)
		return err_set(-ENOENT, "cannot locate the specvisor binary (/proc/self/exe)");
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	for (int i = 0; rels[i]; i++) {
		if ((size_t)snprintf(buf, len, "%s/%s", exe, rels[i]) >= len)
			continue;
		if (access(buf, R_OK) == 0)
			return 0;
	}
	return err_set(-ENOENT, "bundled file %s not found next to %s", rels[0], exe);
}
