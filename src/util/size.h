/* SPDX-License-Identifier: MIT */
#ifndef SV_UTIL_SIZE_H
#define SV_UTIL_SIZE_H

#include <stdint.h>

/* "512M", "2G", "65536", "64K" (binary units; B optional) -> bytes. */
int size_parse(const char *s, uint64_t *out);
/* Unsigned integer, decimal or 0x hex, whole string, in [min, max]. */
int u64_parse(const char *s, uint64_t min, uint64_t max, uint64_t *out);

#endif
