/* SPDX-License-Identifier: MIT */
#ifndef SV_CPU_JSON_PRIV_H
#define SV_CPU_JSON_PRIV_H

/*
 * Strict JSON helpers shared by the model and host-profile formats
 * (src/cpu/model_json.c, src/cpu/host_json.c); internal to src/cpu.  Every error is one line:
 * "<file>: <json path>: <problem>".  The public API is in cpu/model_json.h
 * and cpu/host_json.h.
 */

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cpu/model.h"
#include "util/err.h"

struct jctx {
	const char *origin;	/* file name for messages */
};

int jerr(const struct jctx *c, const char *path, const char *fmt, ...) SV_PRINTF(3, 4);
/* Parse the document; the top level must be an object. */
int jload(const struct jctx *c, const char *text, size_t len, json_t **root);
/* Unknown keys are errors; `allowed` ends with NULL. */
int jcheck_keys(const struct jctx *c, const char *path, json_t *obj, const char *const *allowed);
/* Required member (error naming path.key when absent). */
int jmember(const struct jctx *c, const char *path, json_t *obj, const char *key, json_t **out);
/* "0x..." hex string or non-negative integer, at most `bits` wide. */
int jget_uint(const struct jctx *c, const char *path, json_t *v, unsigned int bits, uint64_t *out);
int jget_u32(const struct jctx *c, const char *path, json_t *v, uint32_t *out);
int jget_str(const struct jctx *c, const char *path, json_t *v, char *buf, size_t len);
int jparse_cpuid(const struct jctx *c, const char *path, json_t *arr, struct cpuid_set *out);
/* `leaves`: if non-NULL, cpuid.* keys must name one of its entries. */
int jparse_sources(const struct jctx *c, const char *path, json_t *obj, struct model_source *src,
		   unsigned int max, unsigned int *n, const struct cpuid_set *leaves);
/* Read a whole file (NUL-terminated); the caller frees. */
int jread_file(const char *path, char **text, size_t *len);

void jw_str(FILE *f, const char *s);
void jw_cpuid(FILE *f, const struct cpuid_set *set);
void jw_sources(FILE *f, const struct model_source *src, unsigned int n);

#endif
