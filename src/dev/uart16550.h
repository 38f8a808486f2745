/* SPDX-License-Identifier: MIT */
#ifndef SV_DEV_UART16550_H
#define SV_DEV_UART16550_H

/*
 * A 16550A UART (COM1 at 0x3f8, IRQ 4) as seen by both a polled driver (poll
 * LSR.THRE, write THR) and an interrupt-driven one (Linux 8250: IER, IIR,
 * FIFO).  Transmission is instantaneous: THR is empty again as soon as it is
 * written, so LSR.THRE and LSR.TEMT always read 1.  Receive data comes from a
 * host thread through uart_rx_push() into a backlog that feeds the 16-byte
 * FIFO as the guest drains it; only a full backlog loses data (LSR.OE).
 *
 * All entry points take the UART's mutex.  The tx and irq callbacks are called
 * with it held (so interrupt levels reach KVM in order); they must not call
 * back into the same UART.
 */

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dev/pio.h"

#define UART_COM1_BASE	0x3f8
#define UART_COM1_IRQ	4
#define UART_NPORTS	8
#define UART_FIFO_LEN	16
#define UART_BACKLOG_LEN 4096

/* Register offsets */
#define UART_RBR	0	/* read, DLAB=0 */
#define UART_THR	0	/* write, DLAB=0 */
#define UART_DLL	0	/* DLAB=1 */
#define UART_IER	1	/* DLAB=0 */
#define UART_DLM	1	/* DLAB=1 */
#define UART_IIR	2	/* read */
#define UART_FCR	2	/* write */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7

#define UART_IER_RDI	0x01	/* received data available */
#define UART_IER_THRI	0x02	/* THR empty */
#define UART_IER_RLSI	0x04	/* receiver line status */
#define UART_IER_MSI	0x08	/* modem status */

#define UART_IIR_NO_INT	0x01
#define UART_IIR_MSI	0x00
#define UART_IIR_THRI	0x02
#define UART_IIR_RDI	0x04
#define UART_IIR_RLSI	0x06
#define UART_IIR_CTI	0x0c	/* character timeout */
#define UART_IIR_FIFO	0xc0	/* FIFOs enabled */

#define UART_FCR_ENABLE	0x01
#define UART_FCR_CLR_RX	0x02
#define UART_FCR_CLR_TX	0x04
#define UART_FCR_DMA	0x08
#define UART_FCR_TRIG	0xc0

#define UART_LCR_DLAB	0x80

#define UART_MCR_DTR	0x01
#define UART_MCR_RTS	0x02
#define UART_MCR_OUT1	0x04
#define UART_MCR_OUT2	0x08
#define UART_MCR_LOOP	0x10

#define UART_LSR_DR	0x01
#define UART_LSR_OE	0x02
#define UART_LSR_THRE	0x20
#define UART_LSR_TEMT	0x40

#define UART_MSR_DCTS	0x01
#define UART_MSR_DDSR	0x02
#define UART_MSR_TERI	0x04
#define UART_MSR_DDCD	0x08
#define UART_MSR_CTS	0x10
#define UART_MSR_DSR	0x20
#define UART_MSR_RI	0x40
#define UART_MSR_DCD	0x80

/* Everything the guest can observe, plain data so it can be migrated. */
struct uart_state {
	uint8_t ier, lcr, mcr, scr, fcr;
	uint8_t dll, dlm;
	uint8_t lsr_err;		/* sticky LSR error bits (OE), cleared by reading LSR */
	uint8_t msr_delta;		/* MSR bits 3:0, cleared by reading MSR */
	bool thre_pending;		/* the THR-empty interrupt is armed */
	uint8_t rx_fifo[UART_FIFO_LEN];
	uint8_t rx_head, rx_count;
	uint8_t backlog[UART_BACKLOG_LEN];	/* received by the host, not yet in the FIFO */
	uint16_t bl_head, bl_count;
};

struct uart {
	pthread_mutex_t lock;
	struct uart_state s;
	void (*tx)(void *ctx, uint8_t c);
	void (*irq)(void *ctx, int level);
	void *ctx;
	uint16_t base;			/* set by uart_register() */
	int irq_level;			/* last level passed to irq() */
	uint64_t ntx, nrx, noverrun;	/* bytes sent, bytes received, bytes lost */
};

/* tx and irq may be NULL.  Returns 0 or a negative errno. */
int uart_init(struct uart *u, void (*tx)(void *ctx, uint8_t c),
	      void (*irq)(void *ctx, int level), void *ctx);
void uart_destroy(struct uart *u);
/* Claim ports base..base+7 on the bus under the given name (e.g. "com1"). */
int uart_register(struct uart *u, struct pio_bus *b, uint16_t base, const char *name);

/* pio_dev callbacks (opaque = struct uart *), exposed for tests and fuzzing. */
int uart_io_in(void *opaque, uint16_t port, unsigned int size, uint32_t *val);
int uart_io_out(void *opaque, uint16_t port, unsigned int size, uint32_t val);

/* Bytes from the host (stdin thread).  What does not fit in the backlog is
 * dropped and sets LSR.OE; uart_rx_room() lets the caller avoid that. */
void uart_rx_push(struct uart *u, const uint8_t *buf, size_t n);
size_t uart_rx_room(struct uart *u);

void uart_state_get(struct uart *u, struct uart_state *s);
/* -EINVAL if the FIFO or backlog indices are out of range. */
int uart_state_set(struct uart *u, const struct uart_state *s);

#endif
