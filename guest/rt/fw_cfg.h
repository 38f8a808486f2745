/* SPDX-License-Identifier: MIT */
#ifndef GUEST_RT_FW_CFG_H
#define GUEST_RT_FW_CFG_H

/* QEMU fw_cfg, legacy port interface: selector 0x510 (16-bit), data 0x511. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511

#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_RAM_SIZE		0x0003
#define FW_CFG_NB_CPUS		0x0005

void fw_cfg_read(uint16_t key, void *buf, size_t len);
bool fw_cfg_present(void);		/* signature reads "QEMU" */
unsigned fw_cfg_nb_cpus(void);		/* 1 when fw_cfg is absent */
uint64_t fw_cfg_ram_size(void);		/* 0 when fw_cfg is absent */

#endif
