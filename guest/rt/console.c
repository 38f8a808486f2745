/* SPDX-License-Identifier: MIT */
#include <stdbool.h>

#include "rt.h"

#define COM1		0x3f8
#define UART_THR	0	/* transmit holding (DLAB=0) */
#define UART_DLL	0	/* divisor low (DLAB=1) */
#define UART_IER	1
#define UART_DLM	1
#define UART_LCR	3
#define UART_LSR	5
#define LCR_8N1		0x03
#define LCR_DLAB	0x80
#define LSR_THRE	0x20
#define LSR_DR		0x01
#define UART_RBR	0

/* An emulated UART is always ready; a real one drains in microseconds. */
#define THRE_POLL_LIMIT	1000

static spinlock_t console_spin;

void console_init(void)
{
	outb(0, COM1 + UART_IER);
	outb(LCR_DLAB, COM1 + UART_LCR);
	outb(1, COM1 + UART_DLL);		/* 115200 baud */
	outb(0, COM1 + UART_DLM);
	outb(LCR_8N1, COM1 + UART_LCR);
}

void console_putc(char c)
{
	for (int i = 0; i < THRE_POLL_LIMIT; i++)
		if (inb(COM1 + UART_LSR) & LSR_THRE)
			break;
	outb((uint8_t)c, COM1 + UART_THR);
}

int console_getc(void)
{
	/* Polled: each LSR read is an exit, so the VMM's stdin thread gets to run. */
	while (!(inb(COM1 + UART_LSR) & LSR_DR))
		cpu_relax();
	return inb(COM1 + UART_RBR);
}

void console_lock(void)
{
	spin_lock(&console_spin);
}

void console_unlock(void)
{
	spin_unlock(&console_spin);
}

void console_break_lock(void)
{
	spin_unlock(&console_spin);
}

static void puts_nolock(const char *s)
{
	while (*s)
		console_putc(*s++);
}

void console_puts(const char *s)
{
	console_lock();
	puts_nolock(s);
	console_unlock();
}

static int put_num(uint64_t v, unsigned base, bool neg, bool upper,
		   int width, bool zero, bool left)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0, len, out = 0;

	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v);
	len = n + neg;
	if (neg && zero) {
		console_putc('-');
		out++;
	}
	for (; !left && len < width; width--, out++)
		console_putc(zero ? '0' : ' ');
	if (neg && !zero) {
		console_putc('-');
		out++;
	}
	while (n)
		console_putc(buf[--n]), out++;
	for (; left && len < width; width--, out++)
		console_putc(' ');
	return out;
}

static int vprintf_nolock(const char *fmt, va_list ap)
{
	int out = 0;

	for (; *fmt; fmt++) {
		bool zero = false, left = false;
		int width = 0, lng = 0;

		if (*fmt != '%') {
			console_putc(*fmt);
			out++;
			continue;
		}
		for (fmt++; *fmt == '0' || *fmt == '-'; fmt++) {
			if (*fmt == '0')
				zero = true;
			else
				left = true;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l' || *fmt == 'z'; fmt++)
			lng++;
		if (left)
			zero = false;

		switch (*fmt) {
		case 'd':
		case 'i': {
			int64_t v = lng ? va_arg(ap, int64_t) : va_arg(ap, int);

			out += put_num(v < 0 ? -(uint64_t)v : (uint64_t)v, 10,
				       v < 0, false, width, zero, left);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);

			out += put_num(v, *fmt == 'u' ? 10 : 16, false, *fmt == 'X',
				       width, zero, left);
			break;
		}
		case 'p':
			puts_nolock("0x");
			out += 2 + put_num((uintptr_t)va_arg(ap, void *), 16, false,
					   false, width, zero, left);
			break;
		case 'c':
			console_putc((char)va_arg(ap, int));
			out++;
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			int len;

			if (!s)
				s = "(null)";
			len = (int)strlen(s);
			for (; !left && len < width; width--, out++)
				console_putc(' ');
			puts_nolock(s);
			out += len;
			for (; left && len < width; width--, out++)
				console_putc(' ');
			break;
		}
		case '%':
			console_putc('%');
			out++;
			break;
		case '\0':
			return out;
		default:
			/* Unknown conversion: show it rather than guess. */
			console_putc('%');
			console_putc(*fmt);
			out += 2;
			break;
		}
	}
	return out;
}

int vprintf(const char *fmt, va_list ap)
{
	int n;

	console_lock();
	n = vprintf_nolock(fmt, ap);
	console_unlock();
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int printf_nolock(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf_nolock(fmt, ap);
	va_end(ap);
	return n;
}

void put_hex(uint64_t v)
{
	printf("0x%lx", (unsigned long)v);
}
