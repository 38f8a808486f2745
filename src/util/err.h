/* SPDX-License-Identifier: MIT */
#ifndef SV_UTIL_ERR_H
#define SV_UTIL_ERR_H

/*
 * The one error style of specvisor.
 *
 * A function that can fail returns 0 (or a non-negative value) on success and a
 * negative errno on failure.  Before returning the failure it records exactly one
 * line that names what was wrong with err_set(); the caller either adds context
 * with err_prefix() or, at the top (main), prints err_msg() once.  The message is
 * thread-local, like errno, so pure code (parsers, MSR rules) and vCPU threads
 * can use it without locks.
 */

#include <stddef.h>

#if defined(__GNUC__)
#define SV_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SV_PRINTF(a, b)
#endif

/* Record a message; returns code (a negative errno; -EIO if code is not
 * negative) so callers can `return err_set(-EINVAL, "...")`. */
int err_set(int code, const char *fmt, ...) SV_PRINTF(2, 3);
/* Prepend "prefix: " to the recorded message; returns code. */
int err_prefix(int code, const char *fmt, ...) SV_PRINTF(2, 3);
/* The last recorded message ("" if none). */
const char *err_msg(void);
void err_clear(void);

#endif
