/* SPDX-License-Identifier: MIT */
#include "dev/fw_cfg.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"

static const uint8_t fw_cfg_signature[4] = { 'Q', 'E', 'M', 'U' };
static const uint8_t fw_cfg_id[4] = { FW_CFG_VERSION, 0, 0, 0 };

static void put_le(uint8_t *p, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int fw_cfg_init(struct fw_cfg *f, uint16_t nb_cpus, uint16_t max_cpus, uint64_t ram_size)
{
	int r;

	memset(f, 0, sizeof(*f));
	r = pthread_mutex_init(&f->lock, NULL);
	if (r)
		return err_set(-r, "fw_cfg: mutex: %s", strerror(r));
	put_le(f->ram_size, ram_size, 8);
	put_le(f->nb_cpus, nb_cpus, 2);
	put_le(f->max_cpus, max_cpus, 2);
	return 0;
}

void fw_cfg_destroy(struct fw_cfg *f)
{
	unsigned int i;

	for (i = 0; i < f->nfiles; i++)
		free(f->file[i].data);
	f->nfiles = 0;
	pthread_mutex_destroy(&f->lock);
}

int fw_cfg_add_file(struct fw_cfg *f, const char *name, const void *data, uint32_t len)
{
	struct fw_cfg_file *fl;
	size_t n = name ? strnlen(name, FW_CFG_NAME_LEN) : 0;
	unsigned int i;
	int sel;

	if (n == 0 || n >= FW_CFG_NAME_LEN)
		return err_set(-EINVAL, "fw_cfg: file name must be 1 to %d bytes",
			       FW_CFG_NAME_LEN - 1);
	if (len && !data)
		return err_set(-EINVAL, "fw_cfg: file '%s' has no data", name);
	pthread_mutex_lock(&f->lock);
	for (i = 0; i < f->nfiles; i++) {
		if (!strcmp(f->file[i].name, name)) {
			pthread_mutex_unlock(&f->lock);
			return err_set(-EEXIST, "fw_cfg: file '%s' already exists", name);
		}
	}
	if (f->nfiles == FW_CFG_MAX_FILES) {
		pthread_mutex_unlock(&f->lock);
		return err_set(-ENOSPC, "fw_cfg: no room for file '%s' (%d files at most)",
			       name, FW_CFG_MAX_FILES);
	}
	fl = &f->file[f->nfiles];
	fl->data = malloc(len ? len : 1);
	if (!fl->data) {
		pthread_mutex_unlock(&f->lock);
		return err_set(-ENOMEM, "fw_cfg: no memory for file '%s' (%u bytes)", name, len);
	}
	if (len)
		memcpy(fl->data, data, len);
	memset(fl->name, 0, sizeof(fl->name));
	memcpy(fl->name, name, n);
	fl->len = len;
	sel = FW_CFG_FILE_FIRST + (int)f->nfiles++;
	pthread_mutex_unlock(&f->lock);
	return sel;
}

/* Byte `off` of the file directory, generated on the fly: a big-endian count,
 * then one 64-byte big-endian entry per file. */
static uint8_t dir_byte(const struct fw_cfg *f, uint32_t off, bool *end)
{
	const struct fw_cfg_file *fl;
	uint32_t e, o;

	*end = false;
	if (off < 4)
		return (uint8_t)(f->nfiles >> (8 * (3 - off)));
	e = (off - 4) / FW_CFG_DIR_ENTRY_LEN;
	o = (off - 4) % FW_CFG_DIR_ENTRY_LEN;
	if (e >= f->nfiles) {
		*end = true;
		return 0;
	}
	fl = &f->file[e];
	if (o < 4)
		return (uint8_t)(fl->len >> (8 * (3 - o)));
	if (o < 6)
		return (uint8_t)((FW_CFG_FILE_FIRST + e) >> (8 * (5 - o)));
	if (o < 8)
		return 0;
	return (uint8_t)fl->name[o - 8];
}

/* The next byte of the selected item; 0 past its end or for unknown keys. */
static uint8_t data_read(struct fw_cfg *f)
{
	uint16_t key = f->s.sel & (uint16_t)~FW_CFG_WRITE_CHANNEL;
	const uint8_t *p = NULL;
	uint32_t len = 0;
	uint8_t v;
	bool end;

	switch (key) {
	case FW_CFG_SIGNATURE:
		p = fw_cfg_signature, len = sizeof(fw_cfg_signature);
		break;
	case FW_CFG_ID:
		p = fw_cfg_id, len = sizeof(fw_cfg_id);
		break;
	case FW_CFG_RAM_SIZE:
		p = f->ram_size, len = sizeof(f->ram_size);
		break;
	case FW_CFG_NB_CPUS:
		p = f->nb_cpus, len = sizeof(f->nb_cpus);
		break;
	case FW_CFG_MAX_CPUS:
		p = f->max_cpus, len = sizeof(f->max_cpus);
		break;
	case FW_CFG_FILE_DIR:
		v = dir_byte(f, f->s.off, &end);
		if (!end)
			f->s.off++;
		return v;
	default:
		if (key >= FW_CFG_FILE_FIRST && key < FW_CFG_FILE_FIRST + f->nfiles) {
			p = f->file[key - FW_CFG_FILE_FIRST].data;
			len = f->file[key - FW_CFG_FILE_FIRST].len;
		}
		break;
	}
	if (f->s.off >= len)
		return 0;
	return p[f->s.off++];
}

int fw_cfg_io_in(void *opaque, uint16_t port, unsigned int size, uint32_t *val)
{
	struct fw_cfg *f = opaque;

	/* Only 1-byte reads of the data port return data; the selector is
	 * write-only. */
	*val = 0;
	if (port != f->base + 1 || size != 1)
		return 0;
	pthread_mutex_lock(&f->lock);
	*val = data_read(f);
	pthread_mutex_unlock(&f->lock);
	return 0;
}

int fw_cfg_io_out(void *opaque, uint16_t port, unsigned int size, uint32_t val)
{
	struct fw_cfg *f = opaque;

	/* Data writes were dropped from QEMU's interface; ignore them. */
	if (port != f->base || size != 2)
		return 0;
	pthread_mutex_lock(&f->lock);
	f->s.sel = (uint16_t)val;
	f->s.off = 0;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

int fw_cfg_register(struct fw_cfg *f, struct pio_bus *b, uint16_t base)
{
	struct pio_dev d = {
		.name = "fw_cfg",
		.base = base,
		.len = FW_CFG_IO_LEN,
		.opaque = f,
		.in = fw_cfg_io_in,
		.out = fw_cfg_io_out,
	};

	f->base = base;
	return pio_register(b, &d);
}

void fw_cfg_state_get(struct fw_cfg *f, struct fw_cfg_state *s)
{
	pthread_mutex_lock(&f->lock);
	*s = f->s;
	pthread_mutex_unlock(&f->lock);
}

void fw_cfg_state_set(struct fw_cfg *f, const struct fw_cfg_state *s)
{
	pthread_mutex_lock(&f->lock);
	f->s = *s;
	pthread_mutex_unlock(&f->lock);
}
