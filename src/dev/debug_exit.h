/* SPDX-License-Identifier: MIT */
#ifndef SV_DEV_DEBUG_EXIT_H
#define SV_DEV_DEBUG_EXIT_H

/*
 * QEMU-compatible isa-debug-exit (as `-device isa-debug-exit,iobase=0xf4,
 * iosize=4`): a guest write of v (1, 2 or 4 bytes, anywhere in the window)
 * ends the VM with process exit status (v << 1) | 1, truncated to 8 bits as
 * exit() would.  Reads return 0, as in QEMU, which is how guests probe for the
 * device.  Only the first write counts: the VM is going away, and a second
 * vCPU racing to write must not change the status already chosen.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "dev/pio.h"

#define DEBUG_EXIT_BASE	0xf4
#define DEBUG_EXIT_LEN	4

struct debug_exit {
	void (*on_exit)(void *ctx, int status);
	void *ctx;
	atomic_int status;		/* -1 until the first write */
};

/* on_exit may be NULL (then only debug_exit_fired() tells). */
void debug_exit_init(struct debug_exit *d, void (*on_exit)(void *ctx, int status), void *ctx);
int debug_exit_register(struct debug_exit *d, struct pio_bus *b, uint16_t base);
/* Whether the guest has written; if so *status (may be NULL) gets the status. */
bool debug_exit_fired(struct debug_exit *d, int *status);
/* The exit status a write of v produces. */
int debug_exit_status_of(uint32_t v);

int debug_exit_io_in(void *opaque, uint16_t port, unsigned int size, uint32_t *val);
int debug_exit_io_out(void *opaque, uint16_t port, unsigned int size, uint32_t val);

#endif
