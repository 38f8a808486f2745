/* SPDX-License-Identifier: MIT */
#ifndef SV_UTIL_PATH_H
#define SV_UTIL_PATH_H

#include <stddef.h>

/* Find a bundled data file: the first of <exe dir>/<rel> for each rel in the
 * NULL-terminated list that exists.  0 and the path in buf, or -ENOENT. */
int path_find_data(char *buf, size_t len, const char *const *rels);

#endif
