/* SPDX-License-Identifier: MIT */
#include "dev/pio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

void pio_bus_init(struct pio_bus *b)
{
	unsigned int i;

	memset(b, 0, sizeof(*b));
	for (i = 0; i < PIO_MAX_DEVS; i++)
		atomic_init(&b->dev_hits[i], 0);
	for (i = 0; i < PIO_STAT_SLOTS; i++) {
		atomic_init(&b->slot_key[i], 0);
		atomic_init(&b->slot_reads[i], 0);
		atomic_init(&b->slot_writes[i], 0);
	}
	atomic_init(&b->unclaimed_reads, 0);
	atomic_init(&b->unclaimed_writes, 0);
	atomic_init(&b->unclaimed_untracked, 0);
}

static unsigned int dev_last(const struct pio_dev *d)
{
	return (unsigned int)d->base + d->len - 1;
}

int pio_register(struct pio_bus *b, const struct pio_dev *d)
{
	unsigned int i, pos;

	if (!d->name || !d->name[0])
		return err_set(-EINVAL, "pio: device without a name");
	if (d->len == 0 || (unsigned int)d->base + d->len > 0x10000)
		return err_set(-EINVAL, "pio: device '%s' has an invalid window 0x%x+%u",
			       d->name, d->base, d->len);
	for (i = 0; i < b->ndev; i++) {
		const struct pio_dev *o = &b->dev[i];

		if (d->base <= dev_last(o) && o->base <= dev_last(d))
			return err_set(-EEXIST,
				       "pio: device '%s' at 0x%x-0x%x overlaps '%s' at 0x%x-0x%x",
				       d->name, d->base, dev_last(d),
				       o->name, o->base, dev_last(o));
	}
	if (b->ndev == PIO_MAX_DEVS)
		return err_set(-ENOSPC, "pio: no room for device '%s' (%d devices at most)",
			       d->name, PIO_MAX_DEVS);
	/* Keep dev[] sorted so dispatch can bisect. */
	for (pos = 0; pos < b->ndev && b->dev[pos].base < d->base; pos++)
		;
	memmove(&b->dev[pos + 1], &b->dev[pos], (b->ndev - pos) * sizeof(b->dev[0]));
	b->dev[pos] = *d;
	b->ndev++;
	return 0;
}

static int dev_index(const struct pio_bus *b, uint16_t port)
{
	unsigned int lo = 0, hi = b->ndev;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;
		const struct pio_dev *d = &b->dev[mid];

		if (port < d->base)
			hi = mid;
		else if (port > dev_last(d))
			lo = mid + 1;
		else
			return (int)mid;
	}
	return -1;
}

const struct pio_dev *pio_find(const struct pio_bus *b, uint16_t port)
{
	int i = dev_index(b, port);

	return i < 0 ? NULL : &b->dev[i];
}

static void count_unclaimed(struct pio_bus *b, uint16_t port, bool is_write)
{
	uint32_t key = (uint32_t)port + 1;
	unsigned int i, h = (port * 40503u) % PIO_STAT_SLOTS;

	atomic_fetch_add_explicit(is_write ? &b->unclaimed_writes : &b->unclaimed_reads,
				  1, memory_order_relaxed);
	for (i = 0; i < PIO_STAT_SLOTS; i++) {
		unsigned int s = (h + i) % PIO_STAT_SLOTS;
		uint32_t cur = atomic_load_explicit(&b->slot_key[s], memory_order_relaxed);

		if (cur == 0) {
			uint32_t zero = 0;

			/* Claim the free slot; if another vCPU won it, look at its key. */
			if (atomic_compare_exchange_strong(&b->slot_key[s], &zero, key))
				cur = key;
			else
				cur = zero;
		}
		if (cur == key) {
			atomic_fetch_add_explicit(is_write ? &b->slot_writes[s] : &b->slot_reads[s],
						  1, memory_order_relaxed);
			return;
		}
	}
	atomic_fetch_add_explicit(&b->unclaimed_untracked, 1, memory_order_relaxed);
}

static uint32_t size_mask(unsigned int size)
{
	return size == 4 ? 0xffffffffu : (1u << (size * 8)) - 1;
}

int pio_dispatch(struct pio_bus *b, uint16_t port, unsigned int size, bool is_write,
		 uint32_t *data)
{
	const struct pio_dev *d;
	int i, r;

	if (size != 1 && size != 2 && size != 4)
		return err_set(-EINVAL, "pio: access of %u bytes at port 0x%x", size, port);
	i = dev_index(b, port);
	d = i < 0 ? NULL : &b->dev[i];
	if (is_write) {
		if (!d || !d->out) {
			count_unclaimed(b, port, true);
			return 0;
		}
		atomic_fetch_add_explicit(&b->dev_hits[i], 1, memory_order_relaxed);
		return d->out(d->opaque, port, size, *data & size_mask(size));
	}
	if (!d || !d->in) {
		count_unclaimed(b, port, false);
		*data = size_mask(size);
		return 0;
	}
	atomic_fetch_add_explicit(&b->dev_hits[i], 1, memory_order_relaxed);
	*data = 0;
	r = d->in(d->opaque, port, size, data);
	*data &= size_mask(size);
	return r;
}

static uint64_t load(const _Atomic uint64_t *p)
{
	/* The casts drop const only for older compilers that refuse an
	 * atomic load through a const pointer; nothing is written. */
	return atomic_load_explicit((_Atomic uint64_t *)p, memory_order_relaxed);
}

uint64_t pio_bus_unclaimed_total(const struct pio_bus *b)
{
	return load(&b->unclaimed_reads) + load(&b->unclaimed_writes);
}

static int count_cmp(const void *pa, const void *pb)
{
	const struct pio_port_count *a = pa, *c = pb;
	uint64_t ta = a->reads + a->writes, tc = c->reads + c->writes;

	if (ta != tc)
		return ta < tc ? 1 : -1;
	return (int)a->port - (int)c->port;
}

unsigned int pio_bus_unclaimed(const struct pio_bus *b, struct pio_port_count *out,
			       unsigned int max)
{
	struct pio_port_count all[PIO_STAT_SLOTS];
	unsigned int i, n = 0;

	for (i = 0; i < PIO_STAT_SLOTS; i++) {
		uint32_t key = atomic_load_explicit((_Atomic uint32_t *)&b->slot_key[i],
						    memory_order_relaxed);

		if (!key)
			continue;
		all[n].port = (uint16_t)(key - 1);
		all[n].reads = load(&b->slot_reads[i]);
		all[n].writes = load(&b->slot_writes[i]);
		n++;
	}
	qsort(all, n, sizeof(all[0]), count_cmp);
	if (n > max)
		n = max;
	memcpy(out, all, n * sizeof(all[0]));
	return n;
}

void pio_bus_report(const struct pio_bus *b, FILE *f)
{
	struct pio_port_count top[10];
	unsigned int i, n;

	fprintf(f, "port I/O: %u devices\n", b->ndev);
	for (i = 0; i < b->ndev; i++)
		fprintf(f, "  0x%04x-0x%04x %-12s %llu accesses\n", b->dev[i].base,
			dev_last(&b->dev[i]), b->dev[i].name,
			(unsigned long long)load(&b->dev_hits[i]));
	fprintf(f, "  unclaimed: %llu reads, %llu writes\n",
		(unsigned long long)load(&b->unclaimed_reads),
		(unsigned long long)load(&b->unclaimed_writes));
	n = pio_bus_unclaimed(b, top, 10);
	for (i = 0; i < n; i++)
		fprintf(f, "    port 0x%04x: %llu reads, %llu writes\n", top[i].port,
			(unsigned long long)top[i].reads, (unsigned long long)top[i].writes);
	if (load(&b->unclaimed_untracked))
		fprintf(f, "    other ports: %llu accesses\n",
			(unsigned long long)load(&b->unclaimed_untracked));
}
