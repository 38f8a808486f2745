/* SPDX-License-Identifier: MIT */
#ifndef SV_CPU_HOST_JSON_H
#define SV_CPU_HOST_JSON_H

/*
 * JSON host profiles (src/cpu/host_json.c), format "specvisor-host-profile-1"
 * (docs/models.md).  Errors: negative errno and one err_set() line naming the
 * file, the JSON path of the field and the problem.
 */

#include <stddef.h>
#include <stdio.h>

#include "cpu/host.h"

#define HOST_PROFILE_FORMAT "specvisor-host-profile-1"

int host_profile_load(const char *path, struct host_profile *hp);
int host_profile_parse_json(const char *text, size_t len, const char *origin, struct host_profile *hp);
int host_profile_write_json(const struct host_profile *hp, FILE *f);

#endif
