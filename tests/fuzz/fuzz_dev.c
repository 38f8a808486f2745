/* SPDX-License-Identifier: MIT */
/*
 * Drive the port-I/O bus and its devices (COM1, fw_cfg, debug-exit) with
 * arbitrary guest accesses and host input, checking the invariants a guest
 * or the KVM layer relies on: reads fit the access size, the UART's queues
 * stay in bounds, and the IRQ callback only ever sees level changes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dev/debug_exit.h"
#include "dev/fw_cfg.h"
#include "dev/pio.h"
#include "dev/uart16550.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int irq_level;

static void on_irq(void *ctx, int level)
{
	(void)ctx;
	/* Only transitions are reported. */
	if (level == irq_level)
		abort();
	irq_level = level;
}

static void on_tx(void *ctx, uint8_t c)
{
	(void)ctx, (void)c;
}

static const uint16_t ports[] = {
	0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff,
	0x510, 0x511, 0xf4, 0xf7, 0x80, 0x3f7, 0x400, 0x512,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pio_bus bus;
	static struct uart u;
	static struct fw_cfg fw;
	static struct debug_exit dx;
	static const char file[] = "fuzz file contents";
	size_t i = 0;

	pio_bus_init(&bus);
	irq_level = 0;
	if (uart_init(&u, on_tx, on_irq, NULL) || uart_register(&u, &bus, UART_COM1_BASE, "com1"))
		abort();
	if (fw_cfg_init(&fw, 2, 4, 1 << 20) || fw_cfg_register(&fw, &bus, FW_CFG_IO_BASE) ||
	    fw_cfg_add_file(&fw, "etc/fuzz", file, sizeof(file)) != FW_CFG_FILE_FIRST)
		abort();
	debug_exit_init(&dx, NULL, NULL);
	if (debug_exit_register(&dx, &bus, DEBUG_EXIT_BASE))
		abort();

	while (i + 2 <= size) {
		uint8_t op = data[i], arg = data[i + 1];
		unsigned int sz = 1u << ((op >> 4) & 3);	/* 1, 2, 4, 8 */
		uint16_t port = ports[op & 15];
		uint32_t v = arg | (uint32_t)arg << 8 | (uint32_t)arg << 16 | (uint32_t)arg << 24;

		i += 2;
		if ((op >> 6) == 3) {
			/* Host input: the next arg bytes of the input. */
			size_t n = arg;

			if (n > size - i)
				n = size - i;
			uart_rx_push(&u, data + i, n);
			i += n;
			continue;
		}
		int rc = pio_dispatch(&bus, port, sz, op & 0x40, &v);

		if (sz == 8 ? rc == 0 : rc != 0)
			abort();
		if (!(op & 0x40) && sz < 4 && v >> (8 * sz))
			abort();
		if (u.s.rx_count > UART_FIFO_LEN || u.s.bl_count > UART_BACKLOG_LEN ||
		    u.s.rx_head >= UART_FIFO_LEN || u.s.bl_head >= UART_BACKLOG_LEN)
			abort();
	}
	uart_destroy(&u);
	fw_cfg_destroy(&fw);
	return 0;
}
