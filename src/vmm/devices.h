/* SPDX-License-Identifier: MIT */
#ifndef SV_VMM_DEVICES_H
#define SV_VMM_DEVICES_H

/* The machine's device set, wired to KVM: COM1, isa-debug-exit, fw_cfg and a
 * QEMU q35-compatible ACPI PM1a control port for a clean power-off. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct machine;
struct devices;

#define POWEROFF_PORT	0x604	/* QEMU q35 ACPI PM1a_CNT */
#define POWEROFF_SLP_EN	(1u << 13)

int devices_setup(struct machine *m);
void devices_teardown(struct devices *d);
void devices_pio(struct devices *d, uint16_t port, unsigned int size, bool is_write, uint32_t *data);
/* Bytes COM1 can take now: console input beyond it waits in the pipe. */
size_t devices_console_room(struct devices *d);
void devices_console_input(struct devices *d, const uint8_t *buf, size_t n);
/* After the vCPUs stopped: drain the console, print I/O statistics (--verbose). */
void devices_quiesce(struct devices *d);

#endif
