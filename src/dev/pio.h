/* SPDX-License-Identifier: MIT */
#ifndef SV_DEV_PIO_H
#define SV_DEV_PIO_H

/*
 * The port-I/O bus: the KVM layer hands every KVM_EXIT_IO element to
 * pio_dispatch(), which finds the device owning the port.  Devices are
 * registered before the vCPUs start; after that the bus is read-only, so
 * dispatch takes no lock (devices lock themselves) and the counters are atomic.
 */

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct pio_dev {
	const char *name;	/* static string, used in errors and reports */
	uint16_t base, len;	/* ports base .. base+len-1 */
	void *opaque;
	/* size is 1, 2 or 4; the bus masks *val to size.  NULL: the
	 * direction is unclaimed (reads all-ones, writes ignored). */
	int (*in)(void *opaque, uint16_t port, unsigned int size, uint32_t *val);
	int (*out)(void *opaque, uint16_t port, unsigned int size, uint32_t val);
};

#define PIO_MAX_DEVS	32
#define PIO_STAT_SLOTS	64	/* distinct unclaimed ports counted one by one */

struct pio_port_count {
	uint16_t port;
	uint64_t reads, writes;
};

struct pio_bus {
	struct pio_dev dev[PIO_MAX_DEVS];	/* sorted by base */
	unsigned int ndev;
	_Atomic uint64_t dev_hits[PIO_MAX_DEVS];
	/* Unclaimed accesses: an open-addressed table filled with CAS;
	 * key is port + 1 so that 0 means free. */
	_Atomic uint32_t slot_key[PIO_STAT_SLOTS];
	_Atomic uint64_t slot_reads[PIO_STAT_SLOTS];
	_Atomic uint64_t slot_writes[PIO_STAT_SLOTS];
	_Atomic uint64_t unclaimed_reads, unclaimed_writes;
	_Atomic uint64_t unclaimed_untracked;	/* table was full */
};

void pio_bus_init(struct pio_bus *b);
/* Copies *d.  -EINVAL for an empty or out-of-range window or a bad name,
 * -EEXIST for an overlap (the message names both devices), -ENOSPC when full. */
int pio_register(struct pio_bus *b, const struct pio_dev *d);
/*
 * One access of size 1, 2 or 4 at port: *data is the value written, or
 * receives the value read (zero-extended to 32 bits).  The device owning
 * `port` gets the whole access.  Unclaimed: reads give all-ones masked to
 * size, writes are dropped; both are counted.  Returns 0, or the device's
 * negative errno, or -EINVAL for a bad size.
 */
int pio_dispatch(struct pio_bus *b, uint16_t port, unsigned int size, bool is_write,
		 uint32_t *data);
const struct pio_dev *pio_find(const struct pio_bus *b, uint16_t port);

/* The most frequently hit unclaimed ports, most first; returns how many were
 * written to out (at most max). */
unsigned int pio_bus_unclaimed(const struct pio_bus *b, struct pio_port_count *out,
			       unsigned int max);
uint64_t pio_bus_unclaimed_total(const struct pio_bus *b);
/* Per-device access counts and the top unclaimed ports (for --verbose). */
void pio_bus_report(const struct pio_bus *b, FILE *f);

#endif
