/* SPDX-License-Identifier: MIT */
#include "dev/debug_exit.h"

#include "util/log.h"

void debug_exit_init(struct debug_exit *d, void (*on_exit)(void *ctx, int status), void *ctx)
{
	d->on_exit = on_exit;
	d->ctx = ctx;
	atomic_init(&d->status, -1);
}

int debug_exit_status_of(uint32_t v)
{
	return (int)((((uint64_t)v << 1) | 1) & 0xff);
}

int debug_exit_io_in(void *opaque, uint16_t port, unsigned int size, uint32_t *val)
{
	(void)opaque, (void)port, (void)size;
	*val = 0;
	return 0;
}

int debug_exit_io_out(void *opaque, uint16_t port, unsigned int size, uint32_t val)
{
	struct debug_exit *d = opaque;
	int status, none = -1;

	if (size < 4)
		val &= (1u << (8 * size)) - 1;
	status = debug_exit_status_of(val);
	/* One compare-and-swap picks the winner among racing vCPUs. */
	if (!atomic_compare_exchange_strong(&d->status, &none, status))
		return 0;
	log_debug("debug-exit: guest wrote 0x%x to port 0x%x, exit status %d", val, port, status);
	if (d->on_exit)
		d->on_exit(d->ctx, status);
	return 0;
}

int debug_exit_register(struct debug_exit *d, struct pio_bus *b, uint16_t base)
{
	struct pio_dev dev = {
		.name = "debug-exit",
		.base = base,
		.len = DEBUG_EXIT_LEN,
		.opaque = d,
		.in = debug_exit_io_in,
		.out = debug_exit_io_out,
	};

	return pio_register(b, &dev);
}

bool debug_exit_fired(struct debug_exit *d, int *status)
{
	int s = atomic_load(&d->status);

	if (s < 0)
		return false;
	if (status)
		*status = s;
	return true;
}
