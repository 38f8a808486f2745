/* SPDX-License-Identifier: MIT */
#include "util/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ERR_LEN 512

static _Thread_local char err_buf[ERR_LEN];

int err_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err_buf, sizeof(err_buf), fmt, ap);
	va_end(ap);
	/* A failure is never 0: `return err_set(-errno, ...)` with an errno
	 * that a library left at 0 must not read as success. */
	return code < 0 ? code : -EIO;
}

int err_prefix(int code, const char *fmt, ...)
{
	char old[ERR_LEN], pre[ERR_LEN];
	va_list ap;

	memcpy(old, err_buf, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), fmt, ap);
	va_end(ap);
	/* Truncation of an over-long message is acceptable. */
	size_t n = strlen(pre);

	if (n > ERR_LEN - 3)
		n = ERR_LEN - 3;
	memcpy(err_buf, pre, n);
	memcpy(err_buf + n, ": ", 2);
	n += 2;
	size_t m = strnlen(old, ERR_LEN - 1 - n);

	memcpy(err_buf + n, old, m);
	err_buf[n + m] = '\0';
	return code;
}

const char *err_msg(void)
{
	return err_buf;
}

void err_clear(void)
{
	err_buf[0] = '\0';
}
