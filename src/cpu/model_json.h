/* SPDX-License-Identifier: MIT */
#ifndef SV_CPU_MODEL_JSON_H
#define SV_CPU_MODEL_JSON_H

#include <stddef.h>
#include <stdio.h>

#include "cpu/model.h"

/*
 * JSON model files (src/cpu/model_json.c).  Errors: negative errno and one
 * err_set() line naming the file, the JSON path of the field and the problem.
 */
#define MODEL_FORMAT "specvisor-cpu-model-1"
#define MODEL_MAX_BUILTIN 64

/* A path (contains '/' or ends in ".json") or a built-in name, searched in
 * $SPECVISOR_DATA/models, <exe>/../data/models, <exe>/../../data/models,
 * <exe>/../share/specvisor/models. */
int model_load(const char *name_or_path, struct cpu_model *m);
int model_parse_json(const char *text, size_t len, const char *origin, struct cpu_model *m);
int model_write_json(const struct cpu_model *m, FILE *f);
/* Built-in model names, sorted and de-duplicated over the search path; returns
 * how many were stored (at most max). */
int model_list(char names[][MODEL_NAME_LEN], int max);
/* The directories searched, in order (for messages); returns the count. */
int model_search_dirs(char dirs[][4096], int max);

#endif
