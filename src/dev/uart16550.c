/* SPDX-License-Identifier: MIT */
#include "dev/uart16550.h"

#include <errno.h>
#include <string.h>

#include "util/err.h"

static void state_reset(struct uart_state *s)
{
	memset(s, 0, sizeof(*s));
	/* The divisor is undefined after a hardware reset; 12 is 9600 baud,
	 * what a PC BIOS leaves behind. */
	s->dll = 12;
}

int uart_init(struct uart *u, void (*tx)(void *ctx, uint8_t c),
	      void (*irq)(void *ctx, int level), void *ctx)
{
	int r;

	memset(u, 0, sizeof(*u));
	r = pthread_mutex_init(&u->lock, NULL);
	if (r)
		return err_set(-r, "uart: mutex: %s", strerror(r));
	state_reset(&u->s);
	u->tx = tx;
	u->irq = irq;
	u->ctx = ctx;
	return 0;
}

void uart_destroy(struct uart *u)
{
	pthread_mutex_destroy(&u->lock);
}

static bool loopback(const struct uart_state *s)
{
	return s->mcr & UART_MCR_LOOP;
}

static bool fifo_on(const struct uart_state *s)
{
	return s->fcr & UART_FCR_ENABLE;
}

/* Without FIFOs the receiver holds a single byte (16450 mode). */
static unsigned int rx_capacity(const struct uart_state *s)
{
	return fifo_on(s) ? UART_FIFO_LEN : 1;
}

static unsigned int rx_trigger(const struct uart_state *s)
{
	static const uint8_t level[4] = { 1, 4, 8, 14 };

	return level[s->fcr >> 6];
}

static bool rx_put(struct uart_state *s, uint8_t c)
{
	if (s->rx_count >= rx_capacity(s))
		return false;
	s->rx_fifo[(s->rx_head + s->rx_count) % UART_FIFO_LEN] = c;
	s->rx_count++;
	return true;
}

/* Move host input into the FIFO while it has room.  In loopback mode the
 * serial input is disconnected, so host input waits in the backlog. */
static void rx_refill(struct uart_state *s)
{
	while (!loopback(s) && s->bl_count && s->rx_count < rx_capacity(s)) {
		rx_put(s, s->backlog[s->bl_head]);
		s->bl_head = (s->bl_head + 1) % UART_BACKLOG_LEN;
		s->bl_count--;
	}
}

static uint8_t msr_status(const struct uart_state *s)
{
	uint8_t m = 0;

	if (!loopback(s))
		return UART_MSR_DCD | UART_MSR_DSR | UART_MSR_CTS;
	/* Loopback wires the modem outputs back to the inputs. */
	if (s->mcr & UART_MCR_RTS)
		m |= UART_MSR_CTS;
	if (s->mcr & UART_MCR_DTR)
		m |= UART_MSR_DSR;
	if (s->mcr & UART_MCR_OUT1)
		m |= UART_MSR_RI;
	if (s->mcr & UART_MCR_OUT2)
		m |= UART_MSR_DCD;
	return m;
}

/*
 * The pending interrupt of highest priority.  The character timeout is
 * modelled as immediate: host input arrives in bursts, not at line rate, so
 * there is nothing to wait for once the burst is in the FIFO.
 */
static uint8_t iir_source(const struct uart_state *s)
{
	if ((s->ier & UART_IER_RLSI) && s->lsr_err)
		return UART_IIR_RLSI;
	if ((s->ier & UART_IER_RDI) && s->rx_count) {
		if (fifo_on(s) && s->rx_count < rx_trigger(s))
			return UART_IIR_CTI;
		return UART_IIR_RDI;
	}
	if ((s->ier & UART_IER_THRI) && s->thre_pending)
		return UART_IIR_THRI;
	if ((s->ier & UART_IER_MSI) && s->msr_delta)
		return UART_IIR_MSI;
	return UART_IIR_NO_INT;
}

/* The line is not gated by MCR.OUT2, as in QEMU: guests written for QEMU
 * often leave OUT2 clear. */
static void irq_update(struct uart *u)
{
	int level = iir_source(&u->s) != UART_IIR_NO_INT;

	if (level == u->irq_level)
		return;
	u->irq_level = level;
	if (u->irq)
		u->irq(u->ctx, level);
}

static uint8_t reg_read(struct uart *u, unsigned int off)
{
	struct uart_state *s = &u->s;
	bool dlab = s->lcr & UART_LCR_DLAB;
	uint8_t v = 0;

	switch (off) {
	case UART_RBR:
		if (dlab)
			return s->dll;
		if (s->rx_count) {
			v = s->rx_fifo[s->rx_head];
			s->rx_head = (s->rx_head + 1) % UART_FIFO_LEN;
			s->rx_count--;
			rx_refill(s);
		}
		break;
	case UART_IER:
		return dlab ? s->dlm : s->ier;
	case UART_IIR:
		v = iir_source(s);
		/* Reading IIR acknowledges a THR-empty interrupt it reports. */
		if (v == UART_IIR_THRI)
			s->thre_pending = false;
		if (fifo_on(s))
			v |= UART_IIR_FIFO;
		break;
	case UART_LCR:
		return s->lcr;
	case UART_MCR:
		return s->mcr;
	case UART_LSR:
		v = UART_LSR_THRE | UART_LSR_TEMT | s->lsr_err;
		if (s->rx_count)
			v |= UART_LSR_DR;
		s->lsr_err = 0;
		break;
	case UART_MSR:
		v = msr_status(s) | s->msr_delta;
		s->msr_delta = 0;
		break;
	case UART_SCR:
		return s->scr;
	}
	irq_update(u);
	return v;
}

static void thr_write(struct uart *u, uint8_t c)
{
	struct uart_state *s = &u->s;

	if (loopback(s)) {
		if (rx_put(s, c)) {
			u->nrx++;
		} else {
			s->lsr_err |= UART_LSR_OE;
			u->noverrun++;
		}
	} else {
		u->ntx++;
		if (u->tx)
			u->tx(u->ctx, c);
	}
	/* Sent at once: THR is empty again and the interrupt re-arms. */
	s->thre_pending = true;
}

static void mcr_write(struct uart_state *s, uint8_t v)
{
	uint8_t before = msr_status(s), after, changed;

	s->mcr = v & 0x1f;
	after = msr_status(s);
	changed = before ^ after;
	if (changed & UART_MSR_CTS)
		s->msr_delta |= UART_MSR_DCTS;
	if (changed & UART_MSR_DSR)
		s->msr_delta |= UART_MSR_DDSR;
	if (changed & UART_MSR_DCD)
		s->msr_delta |= UART_MSR_DDCD;
	/* TERI is set on the trailing edge of RI only. */
	if ((before & UART_MSR_RI) && !(after & UART_MSR_RI))
		s->msr_delta |= UART_MSR_TERI;
	rx_refill(s);
}

static void fcr_write(struct uart_state *s, uint8_t v)
{
	/* Toggling the enable bit resets both FIFOs; with it clear the
	 * other bits are not programmed. */
	if (((v ^ s->fcr) & UART_FCR_ENABLE) || (v & UART_FCR_CLR_RX)) {
		s->rx_count = 0;
		s->rx_head = 0;
	}
	s->fcr = (v & UART_FCR_ENABLE) ? (v & (UART_FCR_ENABLE | UART_FCR_DMA | UART_FCR_TRIG)) : 0;
	rx_refill(s);
}

static void reg_write(struct uart *u, unsigned int off, uint8_t v)
{
	struct uart_state *s = &u->s;
	bool dlab = s->lcr & UART_LCR_DLAB;

	switch (off) {
	case UART_THR:
		if (dlab)
			s->dll = v;
		else
			thr_write(u, v);
		break;
	case UART_IER:
		if (dlab) {
			s->dlm = v;
			break;
		}
		/* Enabling THRI while THR is empty raises the interrupt
		 * (Linux tests this at startup). */
		if ((v & UART_IER_THRI) && !(s->ier & UART_IER_THRI))
			s->thre_pending = true;
		s->ier = v & 0x0f;
		break;
	case UART_FCR:
		fcr_write(s, v);
		break;
	case UART_LCR:
		s->lcr = v;
		break;
	case UART_MCR:
		mcr_write(s, v);
		break;
	case UART_LSR:
	case UART_MSR:
		/* Read-only on a 16550A (factory test on real parts). */
		break;
	case UART_SCR:
		s->scr = v;
		break;
	}
	irq_update(u);
}

/* The UART is an 8-bit device: a wider access touches successive registers,
 * as the ISA bus would split it; bytes beyond the UART read as 0xff. */
int uart_io_in(void *opaque, uint16_t port, unsigned int size, uint32_t *val)
{
	struct uart *u = opaque;
	unsigned int off = (uint16_t)(port - u->base), i;
	uint32_t v = 0;

	pthread_mutex_lock(&u->lock);
	for (i = 0; i < size; i++) {
		uint8_t b = off + i < UART_NPORTS ? reg_read(u, off + i) : 0xff;

		v |= (uint32_t)b << (8 * i);
	}
	pthread_mutex_unlock(&u->lock);
	*val = v;
	return 0;
}

int uart_io_out(void *opaque, uint16_t port, unsigned int size, uint32_t val)
{
	struct uart *u = opaque;
	unsigned int off = (uint16_t)(port - u->base), i;

	pthread_mutex_lock(&u->lock);
	for (i = 0; i < size && off + i < UART_NPORTS; i++)
		reg_write(u, off + i, (uint8_t)(val >> (8 * i)));
	pthread_mutex_unlock(&u->lock);
	return 0;
}

int uart_register(struct uart *u, struct pio_bus *b, uint16_t base, const char *name)
{
	struct pio_dev d = {
		.name = name,
		.base = base,
		.len = UART_NPORTS,
		.opaque = u,
		.in = uart_io_in,
		.out = uart_io_out,
	};

	u->base = base;
	return pio_register(b, &d);
}

void uart_rx_push(struct uart *u, const uint8_t *buf, size_t n)
{
	struct uart_state *s = &u->s;
	size_t i;

	pthread_mutex_lock(&u->lock);
	for (i = 0; i < n; i++) {
		rx_refill(s);
		if (s->bl_count == UART_BACKLOG_LEN) {
			/* Newest data is lost, as on a real overrun. */
			s->lsr_err |= UART_LSR_OE;
			u->noverrun += n - i;
			break;
		}
		s->backlog[(s->bl_head + s->bl_count) % UART_BACKLOG_LEN] = buf[i];
		s->bl_count++;
		u->nrx++;
	}
	rx_refill(s);
	irq_update(u);
	pthread_mutex_unlock(&u->lock);
}

size_t uart_rx_room(struct uart *u)
{
	size_t room;

	pthread_mutex_lock(&u->lock);
	room = UART_BACKLOG_LEN - u->s.bl_count;
	/* The backlog only fills once the FIFO is full, except in loopback
	 * mode where host input cannot enter the FIFO at all. */
	if (!loopback(&u->s))
		room += rx_capacity(&u->s) - u->s.rx_count;
	pthread_mutex_unlock(&u->lock);
	return room;
}

void uart_state_get(struct uart *u, struct uart_state *s)
{
	pthread_mutex_lock(&u->lock);
	*s = u->s;
	pthread_mutex_unlock(&u->lock);
}

int uart_state_set(struct uart *u, const struct uart_state *s)
{
	if (s->rx_head >= UART_FIFO_LEN || s->rx_count > rx_capacity(s) ||
	    s->bl_head >= UART_BACKLOG_LEN || s->bl_count > UART_BACKLOG_LEN)
		return err_set(-EINVAL, "uart: saved state has FIFO indices out of range");
	pthread_mutex_lock(&u->lock);
	u->s = *s;
	irq_update(u);
	pthread_mutex_unlock(&u->lock);
	return 0;
}
