/* SPDX-License-Identifier: MIT */
#ifndef GUEST_RT_CONSOLE_H
#define GUEST_RT_CONSOLE_H

/*
 * COM1 output.  printf() understands %s %c %d %i %u %x %X %p %% with the
 * flags '0' and '-', a field width, and the length modifiers l, ll, z.
 * Lines end in a bare '\n' (no CR): the harness greps raw output.  Each
 * printf()/puts() call is atomic with respect to other CPUs.
 */

#include <stdarg.h>
#include <stdint.h>

void console_init(void);
void console_putc(char c);
void console_puts(const char *s);	/* no newline added */
int console_getc(void);			/* blocks until COM1 has a byte */
void put_hex(uint64_t v);		/* "0x" + lowercase hex, no padding */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
/* Take/drop the console for a multi-call line (the _nolock variant inside). */
void console_lock(void);
void console_unlock(void);
int printf_nolock(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Exception path: whoever held the lock is not coming back. */
void console_break_lock(void);

#endif
