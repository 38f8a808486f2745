/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "dev/uart16550.h"

#define COM1 UART_COM1_BASE

struct rig {
	struct pio_bus bus;
	struct uart u;
	char out[8192];
	size_t nout;
	int levels[64];		/* every level passed to irq(), in order */
	unsigned int nlevels;
};

static void rig_tx(void *ctx, uint8_t c)
{
	struct rig *r = ctx;

	if (r->nout < sizeof(r->out))
		r->out[r->nout++] = (char)c;
}

static void rig_irq(void *ctx, int level)
{
	struct rig *r = ctx;

	if (r->nlevels < 64)
		r->levels[r->nlevels++] = level;
}

static int rig_setup(void **state)
{
	static struct rig r;

	memset(&r, 0, sizeof(r));
	pio_bus_init(&r.bus);
	if (uart_init(&r.u, rig_tx, rig_irq, &r) || uart_register(&r.u, &r.bus, COM1, "com1"))
		return -1;
	*state = &r;
	return 0;
}

static int rig_teardown(void **state)
{
	struct rig *r = *state;

	uart_destroy(&r->u);
	return 0;
}

static uint8_t inb(struct rig *r, unsigned int reg)
{
	uint32_t v = 0xdead;

	assert_int_equal(pio_dispatch(&r->bus, (uint16_t)(COM1 + reg), 1, false, &v), 0);
	assert_true(v <= 0xff);
	return (uint8_t)v;
}

static void outb(struct rig *r, unsigned int reg, uint8_t val)
{
	uint32_t v = val;

	assert_int_equal(pio_dispatch(&r->bus, (uint16_t)(COM1 + reg), 1, true, &v), 0);
}

static int level(const struct rig *r)
{
	return r->nlevels ? r->levels[r->nlevels - 1] : 0;
}

static void push(struct rig *r, const char *s)
{
	uart_rx_push(&r->u, (const uint8_t *)s, strlen(s));
}

static void test_reset_values(void **state)
{
	struct rig *r = *state;

	assert_int_equal(inb(r, UART_IER), 0);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_NO_INT);
	assert_int_equal(inb(r, UART_LCR), 0);
	assert_int_equal(inb(r, UART_MCR), 0);
	assert_int_equal(inb(r, UART_LSR), UART_LSR_THRE | UART_LSR_TEMT);
	assert_int_equal(inb(r, UART_MSR), UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
	assert_int_equal(inb(r, UART_SCR), 0);
	assert_int_equal(inb(r, UART_RBR), 0);	/* nothing received */
	assert_int_equal(r->nlevels, 0);
}

/* What a polled early-console driver does. */
static void test_polled_tx(void **state)
{
	struct rig *r = *state;
	const char *msg = "hello, world\n";
	size_t i;

	for (i = 0; msg[i]; i++) {
		unsigned int spins = 0;

		while (!(inb(r, UART_LSR) & UART_LSR_THRE))
			assert_true(++spins < 10);
		outb(r, UART_THR, (uint8_t)msg[i]);
	}
	assert_int_equal(r->nout, strlen(msg));
	assert_memory_equal(r->out, msg, strlen(msg));
	assert_int_equal(r->u.ntx, strlen(msg));
	/* No interrupt enabled, none raised. */
	assert_int_equal(r->nlevels, 0);
}

static void test_scratch(void **state)
{
	struct rig *r = *state;

	outb(r, UART_SCR, 0x5a);
	assert_int_equal(inb(r, UART_SCR), 0x5a);
	outb(r, UART_SCR, 0xa5);
	assert_int_equal(inb(r, UART_SCR), 0xa5);
	assert_int_equal(r->nout, 0);
}

static void test_dlab_divisor(void **state)
{
	struct rig *r = *state;

	outb(r, UART_IER, UART_IER_MSI);
	outb(r, UART_LCR, UART_LCR_DLAB | 0x03);
	outb(r, UART_DLL, 0x01);
	outb(r, UART_DLM, 0x02);
	assert_int_equal(inb(r, UART_DLL), 0x01);
	assert_int_equal(inb(r, UART_DLM), 0x02);
	assert_int_equal(inb(r, UART_LCR), UART_LCR_DLAB | 0x03);
	/* With DLAB set, offsets 0/1 are the divisor: nothing sent, IER kept. */
	assert_int_equal(r->nout, 0);
	outb(r, UART_LCR, 0x03);
	assert_int_equal(inb(r, UART_IER), UART_IER_MSI);
	outb(r, UART_THR, 'x');
	assert_int_equal(r->nout, 1);
	outb(r, UART_LCR, UART_LCR_DLAB);
	assert_int_equal(inb(r, UART_DLL), 0x01);
	assert_int_equal(inb(r, UART_DLM), 0x02);
	/* IIR and the other registers do not depend on DLAB. */
	assert_int_equal(inb(r, UART_IIR), UART_IIR_NO_INT);
	outb(r, UART_SCR, 9);
	assert_int_equal(inb(r, UART_SCR), 9);
}

static void test_rx_data_ready(void **state)
{
	struct rig *r = *state;

	assert_false(inb(r, UART_LSR) & UART_LSR_DR);
	push(r, "abc");
	assert_true(inb(r, UART_LSR) & UART_LSR_DR);
	assert_int_equal(inb(r, UART_RBR), 'a');
	assert_true(inb(r, UART_LSR) & UART_LSR_DR);
	assert_int_equal(inb(r, UART_RBR), 'b');
	assert_int_equal(inb(r, UART_RBR), 'c');
	assert_false(inb(r, UART_LSR) & UART_LSR_DR);
	assert_int_equal(inb(r, UART_RBR), 0);
	assert_int_equal(r->u.nrx, 3);
}

/* 16450 mode (FIFO off): one holding register fed from the backlog. */
static void test_rx_no_fifo(void **state)
{
	struct rig *r = *state;
	struct uart_state s;

	push(r, "xyz");
	uart_state_get(&r->u, &s);
	assert_int_equal(s.rx_count, 1);
	assert_int_equal(s.bl_count, 2);
	assert_int_equal(inb(r, UART_RBR), 'x');
	assert_int_equal(inb(r, UART_RBR), 'y');
	assert_int_equal(inb(r, UART_RBR), 'z');
	assert_false(inb(r, UART_LSR) & UART_LSR_DR);
}

static void test_fifo(void **state)
{
	struct rig *r = *state;
	struct uart_state s;
	char buf[21];
	int i;

	outb(r, UART_FCR, UART_FCR_ENABLE | UART_FCR_CLR_RX | UART_FCR_CLR_TX | 0xc0);
	assert_int_equal(inb(r, UART_IIR) & UART_IIR_FIFO, UART_IIR_FIFO);
	for (i = 0; i < 20; i++)
		buf[i] = (char)('A' + i);
	buf[20] = 0;
	push(r, buf);
	uart_state_get(&r->u, &s);
	assert_int_equal(s.rx_count, UART_FIFO_LEN);
	assert_int_equal(s.bl_count, 4);
	for (i = 0; i < 20; i++) {
		assert_true(inb(r, UART_LSR) & UART_LSR_DR);
		assert_int_equal(inb(r, UART_RBR), 'A' + i);
	}
	assert_false(inb(r, UART_LSR) & UART_LSR_DR);

	/* FCR "clear RX" drops the FIFO; the backlog (the line) flows in. */
	push(r, buf);
	outb(r, UART_FCR, UART_FCR_ENABLE | UART_FCR_CLR_RX);
	assert_int_equal(inb(r, UART_RBR), 'Q');
	for (i = 1; i < 4; i++)
		assert_int_equal(inb(r, UART_RBR), 'Q' + i);
	assert_false(inb(r, UART_LSR) & UART_LSR_DR);

	/* Disabling the FIFO resets it too and clears IIR bits 7:6. */
	push(r, "12");
	outb(r, UART_FCR, 0);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_NO_INT);
	assert_false(inb(r, UART_LSR) & UART_LSR_DR);
}

static void test_overflow_sets_oe(void **state)
{
	struct rig *r = *state;
	static uint8_t big[UART_BACKLOG_LEN + UART_FIFO_LEN + 5];
	size_t i, cap = UART_BACKLOG_LEN + UART_FIFO_LEN;
	uint8_t lsr;

	outb(r, UART_FCR, UART_FCR_ENABLE);
	assert_int_equal(uart_rx_room(&r->u), cap);
	for (i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7);
	uart_rx_push(&r->u, big, sizeof(big));
	assert_int_equal(uart_rx_room(&r->u), 0);
	assert_int_equal(r->u.noverrun, 5);
	lsr = inb(r, UART_LSR);
	assert_true(lsr & UART_LSR_OE);
	assert_true(lsr & UART_LSR_DR);
	/* OE is cleared by reading LSR. */
	assert_false(inb(r, UART_LSR) & UART_LSR_OE);
	/* The bytes kept are the first ones, in order; the newest were lost. */
	for (i = 0; i < cap; i++)
		assert_int_equal(inb(r, UART_RBR), (uint8_t)(i * 7));
	assert_false(inb(r, UART_LSR) & UART_LSR_DR);
	assert_int_equal(uart_rx_room(&r->u), cap);
}

static void test_loopback(void **state)
{
	struct rig *r = *state;

	/* Linux's probe: MCR = LOOP | RTS | OUT2 must read MSR[7:4] = DCD|CTS. */
	outb(r, UART_MCR, UART_MCR_LOOP | UART_MCR_RTS | UART_MCR_OUT2);
	assert_int_equal(inb(r, UART_MSR) & 0xf0, UART_MSR_DCD | UART_MSR_CTS);
	outb(r, UART_MCR, UART_MCR_LOOP | UART_MCR_DTR | UART_MCR_OUT1);
	assert_int_equal(inb(r, UART_MSR) & 0xf0, UART_MSR_DSR | UART_MSR_RI);

	/* Transmitted bytes come back on the receive side, not to the host. */
	outb(r, UART_THR, 'L');
	outb(r, UART_THR, 'P');
	assert_int_equal(r->nout, 0);
	/* 16450 mode holds one byte: 'P' overran. */
	assert_int_equal(inb(r, UART_LSR) & (UART_LSR_DR | UART_LSR_OE),
			 UART_LSR_DR | UART_LSR_OE);
	assert_int_equal(inb(r, UART_RBR), 'L');
	assert_int_equal(inb(r, UART_LSR) & (UART_LSR_DR | UART_LSR_OE), 0);

	/* Host input waits while the line is looped back. */
	push(r, "host");
	assert_false(inb(r, UART_LSR) & UART_LSR_DR);
	outb(r, UART_MCR, 0);
	assert_int_equal(inb(r, UART_RBR), 'h');
	assert_int_equal(inb(r, UART_MSR) & 0xf0, UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
	outb(r, UART_THR, '!');
	assert_int_equal(r->nout, 1);
	assert_int_equal(r->out[0], '!');
}

static void test_loopback_overrun_fifo(void **state)
{
	struct rig *r = *state;
	int i;

	outb(r, UART_FCR, UART_FCR_ENABLE);
	outb(r, UART_MCR, UART_MCR_LOOP);
	for (i = 0; i < UART_FIFO_LEN; i++)
		outb(r, UART_THR, (uint8_t)i);
	assert_false(inb(r, UART_LSR) & UART_LSR_OE);
	outb(r, UART_THR, 0xee);
	assert_true(inb(r, UART_LSR) & UART_LSR_OE);
	for (i = 0; i < UART_FIFO_LEN; i++)
		assert_int_equal(inb(r, UART_RBR), i);
	assert_false(inb(r, UART_LSR) & UART_LSR_DR);
}

static void test_msr_deltas(void **state)
{
	struct rig *r = *state;

	/* Entering loopback with only OUT1: CTS, DSR, DCD drop, RI rises. */
	outb(r, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT1);
	assert_int_equal(inb(r, UART_MSR),
			 UART_MSR_RI | UART_MSR_DCTS | UART_MSR_DDSR | UART_MSR_DDCD);
	assert_int_equal(inb(r, UART_MSR), UART_MSR_RI);	/* deltas cleared */
	/* TERI on RI's trailing edge only. */
	outb(r, UART_MCR, UART_MCR_LOOP);
	assert_int_equal(inb(r, UART_MSR), UART_MSR_TERI);
	outb(r, UART_MCR, UART_MCR_LOOP | UART_MCR_OUT1);
	assert_int_equal(inb(r, UART_MSR), UART_MSR_RI);
}

/* The checks of Linux 8250 autoconfig() and autoconfig_16550a(). */
static void test_linux_probe(void **state)
{
	struct rig *r = *state;

	outb(r, UART_IER, 0);
	assert_int_equal(inb(r, UART_IER) & 0x0f, 0);
	outb(r, UART_IER, 0x0f);
	assert_int_equal(inb(r, UART_IER) & 0x0f, 0x0f);
	outb(r, UART_IER, 0);
	/* LCR=0xBF: offset 2 writes are FCR on a 16550A. */
	outb(r, UART_LCR, 0xbf);
	outb(r, UART_FCR, 0);
	outb(r, UART_LCR, 0);
	outb(r, UART_FCR, UART_FCR_ENABLE);
	assert_int_equal(inb(r, UART_IIR) >> 6, 3);
	/* No EFR: IIR read under LCR=0x80/0xBF is non-zero. */
	outb(r, UART_LCR, 0x80);
	assert_int_not_equal(inb(r, UART_IIR), 0);
	outb(r, UART_LCR, 0xbf);
	assert_int_not_equal(inb(r, UART_IIR), 0);
	/* Not a 16750: FCR bit 5 does not show as IIR bit 5. */
	outb(r, UART_LCR, 0);
	outb(r, UART_FCR, UART_FCR_ENABLE | 0x20);
	assert_int_equal(inb(r, UART_IIR) & 0x30, 0);
	/* No IER UUE bit (XScale). */
	outb(r, UART_IER, 0x40);
	assert_int_equal(inb(r, UART_IER) & 0x40, 0);
	outb(r, UART_IER, 0);
}

static void test_irq_rda(void **state)
{
	struct rig *r = *state;

	outb(r, UART_IER, UART_IER_RDI);
	assert_int_equal(r->nlevels, 0);
	push(r, "k");
	assert_int_equal(level(r), 1);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_RDI);
	assert_int_equal(inb(r, UART_RBR), 'k');
	assert_int_equal(level(r), 0);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_NO_INT);
	/* Masked: data without RDI enabled raises nothing. */
	outb(r, UART_IER, 0);
	push(r, "m");
	assert_int_equal(level(r), 0);
	outb(r, UART_IER, UART_IER_RDI);
	assert_int_equal(level(r), 1);
	outb(r, UART_IER, 0);
	assert_int_equal(level(r), 0);
	/* Only transitions reach the callback. */
	assert_int_equal(r->nlevels, 4);
}

static void test_irq_fifo_trigger(void **state)
{
	struct rig *r = *state;
	char buf[16];

	outb(r, UART_FCR, UART_FCR_ENABLE | 0xc0);	/* trigger at 14 */
	outb(r, UART_IER, UART_IER_RDI);
	push(r, "abc");
	/* Below the trigger: character timeout (modelled as immediate). */
	assert_int_equal(level(r), 1);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_FIFO | UART_IIR_CTI);
	memset(buf, 'z', 11);
	buf[11] = 0;
	push(r, buf);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_FIFO | UART_IIR_RDI);
	outb(r, UART_FCR, UART_FCR_ENABLE | 0x40);	/* trigger at 4 */
	assert_int_equal(inb(r, UART_IIR), UART_IIR_FIFO | UART_IIR_RDI);
	while (inb(r, UART_LSR) & UART_LSR_DR)
		inb(r, UART_RBR);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_FIFO | UART_IIR_NO_INT);
	assert_int_equal(level(r), 0);
}

static void test_irq_thre(void **state)
{
	struct rig *r = *state;

	/* Enabling THRI with THR empty raises THRE at once... */
	outb(r, UART_IER, UART_IER_THRI);
	assert_int_equal(level(r), 1);
	/* ...reading IIR reports and acknowledges it... */
	assert_int_equal(inb(r, UART_IIR), UART_IIR_THRI);
	assert_int_equal(level(r), 0);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_NO_INT);
	/* ...and re-enabling THRI re-asserts it (Linux's UART_BUG_THRE test). */
	outb(r, UART_IER, 0);
	outb(r, UART_IER, UART_IER_THRI);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_THRI);
	/* Rewriting IER with THRI still set does not re-arm it. */
	outb(r, UART_IER, UART_IER_THRI);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_NO_INT);
	/* Each THR write: sent at once, THR empty again, interrupt again. */
	outb(r, UART_THR, 'a');
	assert_int_equal(level(r), 1);
	outb(r, UART_THR, 'b');
	assert_int_equal(level(r), 1);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_THRI);
	assert_int_equal(level(r), 0);
	/* The driver stops TX by clearing THRI. */
	outb(r, UART_THR, 'c');
	assert_int_equal(level(r), 1);
	outb(r, UART_IER, 0);
	assert_int_equal(level(r), 0);
	assert_memory_equal(r->out, "abc", 3);
}

static void test_irq_rls_and_priorities(void **state)
{
	struct rig *r = *state;
	static uint8_t big[UART_BACKLOG_LEN + 2];

	outb(r, UART_IER, UART_IER_RDI | UART_IER_THRI | UART_IER_RLSI | UART_IER_MSI);
	assert_int_equal(level(r), 1);
	/* MSI is the lowest: pending deltas from entering loopback. */
	outb(r, UART_MCR, UART_MCR_LOOP);
	outb(r, UART_MCR, 0);
	/* THRE outranks MSI. */
	assert_int_equal(inb(r, UART_IIR), UART_IIR_THRI);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_MSI);
	inb(r, UART_MSR);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_NO_INT);
	assert_int_equal(level(r), 0);

	/* Overflow: RLS outranks RDA; LSR read clears it, RDA remains. */
	uart_rx_push(&r->u, big, sizeof(big));
	assert_int_equal(level(r), 1);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_RLSI);
	assert_true(inb(r, UART_LSR) & UART_LSR_OE);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_RDI);
	/* RDA outranks THRE. */
	outb(r, UART_THR, 'x');
	assert_int_equal(inb(r, UART_IIR), UART_IIR_RDI);
	outb(r, UART_IER, UART_IER_THRI);
	assert_int_equal(inb(r, UART_IIR), UART_IIR_THRI);
	outb(r, UART_IER, 0);
	assert_int_equal(level(r), 0);
}

static void test_wide_access(void **state)
{
	struct rig *r = *state;
	uint32_t v = 0;

	outb(r, UART_LCR, 0x03);
	outb(r, UART_MCR, UART_MCR_DTR);
	outb(r, UART_SCR, 0x77);
	assert_int_equal(pio_dispatch(&r->bus, COM1 + UART_LCR, 2, false, &v), 0);
	assert_int_equal(v, 0x0103);
	/* Bytes past the UART's eight ports read as 0xff. */
	assert_int_equal(pio_dispatch(&r->bus, COM1 + UART_MSR, 4, false, &v), 0);
	assert_int_equal(v, 0xffff7700u | UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS);
	/* A 2-byte write at SCR only touches SCR. */
	v = 0x1155;
	assert_int_equal(pio_dispatch(&r->bus, COM1 + UART_SCR, 2, true, &v), 0);
	assert_int_equal(inb(r, UART_SCR), 0x55);
	/* A 2-byte write at THR: THR then IER. */
	v = (UART_IER_RDI << 8) | 'w';
	assert_int_equal(pio_dispatch(&r->bus, COM1, 2, true, &v), 0);
	assert_int_equal(r->out[0], 'w');
	assert_int_equal(inb(r, UART_IER), UART_IER_RDI);
}

static void test_state_roundtrip(void **state)
{
	struct rig *r = *state;
	struct uart_state s, bad;
	struct uart other;

	outb(r, UART_FCR, UART_FCR_ENABLE | 0x80);
	outb(r, UART_LCR, 0x1b);
	outb(r, UART_SCR, 0x42);
	outb(r, UART_IER, UART_IER_RDI);
	push(r, "state");
	uart_state_get(&r->u, &s);

	assert_int_equal(uart_init(&other, NULL, NULL, NULL), 0);
	assert_int_equal(uart_state_set(&other, &s), 0);
	assert_int_equal(other.irq_level, 1);
	other.base = COM1;
	for (const char *p = "state"; *p; p++) {
		uint32_t v = 0;

		uart_io_in(&other, COM1 + UART_RBR, 1, &v);
		assert_int_equal(v, *p);
	}
	uint32_t v = 0;

	uart_io_in(&other, COM1 + UART_LCR, 1, &v);
	assert_int_equal(v, 0x1b);

	bad = s;
	bad.rx_count = UART_FIFO_LEN + 1;
	assert_int_equal(uart_state_set(&other, &bad), -EINVAL);
	bad = s;
	bad.fcr = 0;
	bad.rx_count = 2;	/* more than the 16450 holding register */
	assert_int_equal(uart_state_set(&other, &bad), -EINVAL);
	bad = s;
	bad.bl_head = UART_BACKLOG_LEN;
	assert_int_equal(uart_state_set(&other, &bad), -EINVAL);
	uart_destroy(&other);
}

/* A stdin thread feeding while a vCPU thread reads: nothing lost, in order. */
#define STREAM_LEN 200000

static void *feeder(void *arg)
{
	struct rig *r = arg;
	uint8_t chunk[100];
	size_t sent = 0;

	while (sent < STREAM_LEN) {
		size_t room = uart_rx_room(&r->u), n = STREAM_LEN - sent, i;

		if (n > sizeof(chunk))
			n = sizeof(chunk);
		if (n > room)
			n = room;
		for (i = 0; i < n; i++)
			chunk[i] = (uint8_t)((sent + i) % 251);
		uart_rx_push(&r->u, chunk, n);
		sent += n;
		if (!n)
			sched_yield();
	}
	return NULL;
}

static void test_concurrent_rx(void **state)
{
	struct rig *r = *state;
	pthread_t t;
	size_t got = 0;

	outb(r, UART_FCR, UART_FCR_ENABLE);
	assert_int_equal(pthread_create(&t, NULL, feeder, r), 0);
	while (got < STREAM_LEN) {
		if (!(inb(r, UART_LSR) & UART_LSR_DR))
			continue;
		assert_int_equal(inb(r, UART_RBR), got % 251);
		got++;
	}
	pthread_join(t, NULL);
	assert_int_equal(r->u.noverrun, 0);
	assert_false(inb(r, UART_LSR) & (UART_LSR_OE | UART_LSR_DR));
}

#define T(f) cmocka_unit_test_setup_teardown(f, rig_setup, rig_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_values),
		T(test_polled_tx),
		T(test_scratch),
		T(test_dlab_divisor),
		T(test_rx_data_ready),
		T(test_rx_no_fifo),
		T(test_fifo),
		T(test_overflow_sets_oe),
		T(test_loopback),
		T(test_loopback_overrun_fifo),
		T(test_msr_deltas),
		T(test_linux_probe),
		T(test_irq_rda),
		T(test_irq_fifo_trigger),
		T(test_irq_thre),
		T(test_irq_rls_and_priorities),
		T(test_wide_access),
		T(test_state_roundtrip),
		T(test_concurrent_rx),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
