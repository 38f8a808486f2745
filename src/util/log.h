/* SPDX-License-Identifier: MIT */
#ifndef SV_UTIL_LOG_H
#define SV_UTIL_LOG_H

#include "util/err.h"

/* Diagnostics go to stderr, prefixed "specvisor: ".  log_debug() prints only
 * with --verbose.  Guest serial output goes to stdout and is never mixed in. */
extern int log_verbose;

void log_err(const char *fmt, ...) SV_PRINTF(1, 2);
void log_warn(const char *fmt, ...) SV_PRINTF(1, 2);
void log_info(const char *fmt, ...) SV_PRINTF(1, 2);
void log_debug(const char *fmt, ...) SV_PRINTF(1, 2);

#endif
