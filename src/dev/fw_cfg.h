/* SPDX-License-Identifier: MIT */
#ifndef SV_DEV_FW_CFG_H
#define SV_DEV_FW_CFG_H

/*
 * Minimal QEMU fw_cfg, traditional I/O interface only (no DMA):
 * a 16-bit write to 0x510 selects an item, 1-byte reads of 0x511 return its
 * bytes in order.  Items: signature "QEMU", ID (traditional interface), RAM
 * size, CPU counts, the file directory and files added by the VMM.  Reading
 * past an item's end, or an unknown item, gives 0.
 */

#include <pthread.h>
#include <stdint.h>

#include "dev/pio.h"

#define FW_CFG_IO_BASE		0x510
#define FW_CFG_IO_LEN		2	/* selector 0x510, data 0x511 */

#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_ID		0x0001
#define FW_CFG_RAM_SIZE		0x0003
#define FW_CFG_NB_CPUS		0x0005
#define FW_CFG_MAX_CPUS		0x000f
#define FW_CFG_FILE_DIR		0x0019
#define FW_CFG_FILE_FIRST	0x0020
#define FW_CFG_WRITE_CHANNEL	0x4000	/* ignored: keys are read-only */
#define FW_CFG_ARCH_LOCAL	0x8000	/* none offered */

#define FW_CFG_VERSION		0x01	/* ID bit 0: traditional interface */
#define FW_CFG_MAX_FILES	32
#define FW_CFG_NAME_LEN		56	/* including the NUL */
#define FW_CFG_DIR_ENTRY_LEN	64	/* u32 size, u16 select, u16 reserved, name */

struct fw_cfg_file {
	char name[FW_CFG_NAME_LEN];
	uint8_t *data;			/* owned copy */
	uint32_t len;
};

struct fw_cfg_state {
	uint16_t sel;
	uint32_t off;
};

struct fw_cfg {
	pthread_mutex_t lock;
	struct fw_cfg_state s;
	uint8_t ram_size[8];		/* little-endian, as the guest reads them */
	uint8_t nb_cpus[2], max_cpus[2];
	struct fw_cfg_file file[FW_CFG_MAX_FILES];	/* file i has key FILE_FIRST + i */
	unsigned int nfiles;
	uint16_t base;
};

int fw_cfg_init(struct fw_cfg *f, uint16_t nb_cpus, uint16_t max_cpus, uint64_t ram_size);
void fw_cfg_destroy(struct fw_cfg *f);
int fw_cfg_register(struct fw_cfg *f, struct pio_bus *b, uint16_t base);
/* Copies data.  name: 1..55 bytes, unique.  Returns the file's selector
 * (>= FW_CFG_FILE_FIRST) or -EINVAL, -EEXIST, -ENOSPC, -ENOMEM. */
int fw_cfg_add_file(struct fw_cfg *f, const char *name, const void *data, uint32_t len);

int fw_cfg_io_in(void *opaque, uint16_t port, unsigned int size, uint32_t *val);
int fw_cfg_io_out(void *opaque, uint16_t port, unsigned int size, uint32_t val);

void fw_cfg_state_get(struct fw_cfg *f, struct fw_cfg_state *s);
void fw_cfg_state_set(struct fw_cfg *f, const struct fw_cfg_state *s);

#endif
