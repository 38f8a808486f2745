/* SPDX-License-Identifier: MIT */
#include "vmm/devices.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dev/debug_exit.h"
#include "dev/fw_cfg.h"
#include "dev/pio.h"
#include "dev/uart16550.h"
#include "util/log.h"
#include "vmm/console.h"
#include "vmm/machine_priv.h"

struct devices {
	struct machine *m;
	struct pio_bus bus;
	struct uart com1;
	struct debug_exit dbg;
	struct fw_cfg fw;
	struct console con;
	bool uart_ok, fw_ok;
};

/* Called with the UART lock held: hand the byte to the console thread, which
 * alone may block on stdout. */
static void com1_tx(void *ctx, uint8_t c)
{
	struct devices *d = ctx;

	console_put(&d->con, c);
}

static void com1_irq(void *ctx, int level)
{
	struct devices *d = ctx;

	if (kvm_vm_irq_line(&d->m->vm, UART_COM1_IRQ, level) < 0)
		log_debug("COM1 IRQ %d: %s", level, err_msg());
}

static void dbg_exit(void *ctx, int status)
{
	struct devices *d = ctx;

	machine_stop(d->m, status);	/* debug_exit.c logs it */
}

static int poweroff_out(void *opaque, uint16_t port, unsigned int size, uint32_t val)
{
	struct devices *d = opaque;

	(void)port;
	(void)size;
	if (val & POWEROFF_SLP_EN)
		machine_stop(d->m, SV_EXIT_OK);
	return 0;
}

static int poweroff_in(void *opaque, uint16_t port, unsigned int size, uint32_t *val)
{
	(void)opaque;
	(void)port;
	(void)size;
	*val = 0;
	return 0;
}

int devices_setup(struct machine *m)
{
	struct devices *d = calloc(1, sizeof(*d));
	struct pio_dev pm = {
		.name = "acpi-pm1a-cnt", .base = POWEROFF_PORT, .len = 2, .opaque = d,
		.in = poweroff_in, .out = poweroff_out,
	};
	int rc;

	if (!d)
		return err_set(-ENOMEM, "out of memory");
	m->dev = d;
	d->m = m;
	pio_bus_init(&d->bus);
	rc = console_start(&d->con, STDOUT_FILENO);
	if (rc < 0)
		return rc;
	rc = uart_init(&d->com1, com1_tx, com1_irq, d);
	if (rc < 0)
		return rc;
	d->uart_ok = true;
	rc = uart_register(&d->com1, &d->bus, UART_COM1_BASE, "com1");
	if (rc < 0)
		return rc;
	debug_exit_init(&d->dbg, dbg_exit, d);
	rc = debug_exit_register(&d->dbg, &d->bus, DEBUG_EXIT_BASE);
	if (rc < 0)
		return rc;
	rc = fw_cfg_init(&d->fw, (uint16_t)m->nvcpus, (uint16_t)m->nvcpus, m->ram_size);
	if (rc < 0)
		return rc;
	d->fw_ok = true;
	/* What the guest runs as, readable from inside (like QEMU's etc/ files). */
	rc = fw_cfg_add_file(&d->fw, "opt/specvisor/cpu-model", m->model.name, (uint32_t)strlen(m->model.name));
	if (rc < 0)
		return rc;
	rc = fw_cfg_register(&d->fw, &d->bus, FW_CFG_IO_BASE);
	if (rc < 0)
		return rc;
	return pio_register(&d->bus, &pm);
}

void devices_pio(struct devices *d, uint16_t port, unsigned int size, bool is_write, uint32_t *data)
{
	int rc = pio_dispatch(&d->bus, port, size, is_write, data);

	if (rc < 0)
		log_debug("port 0x%x: %s", port, err_msg());
	else if (log_verbose && !pio_find(&d->bus, port))
		log_debug("unclaimed port %s 0x%x (%u bytes)", is_write ? "write" : "read", port, size);
}

size_t devices_console_room(struct devices *d)
{
	return d && d->uart_ok ? uart_rx_room(&d->com1) : 0;
}

void devices_console_input(struct devices *d, const uint8_t *buf, size_t n)
{
	if (d && d->uart_ok)
		uart_rx_push(&d->com1, buf, n);
}

void devices_quiesce(struct devices *d)
{
	if (!d)
		return;
	console_stop(&d->con);
	if (log_verbose)
		pio_bus_report(&d->bus, stderr);
}

void devices_teardown(struct devices *d)
{
	if (!d)
		return;
	console_stop(&d->con);
	if (d->uart_ok)
		uart_destroy(&d->com1);
	if (d->fw_ok)
		fw_cfg_destroy(&d->fw);
	free(d);
}
