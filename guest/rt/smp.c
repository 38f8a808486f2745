/* SPDX-License-Identifier: MIT */
#include "internal.h"
#include "layout.h"
#include "rt.h"

#define LAPIC_ID		0x020
#define LAPIC_SVR		0x0f0
#define LAPIC_ICR_LO		0x300
#define LAPIC_ICR_HI		0x310
#define SVR_ENABLE		0x100
#define SVR_SPURIOUS_VEC	0xff
#define ICR_INIT		0x00000500
#define ICR_STARTUP		0x00000600
#define ICR_ASSERT		0x00004000
#define ICR_BUSY		0x00001000

/* KVM's LAPIC delivers at once; this only guards against a stuck bit. */
#define ICR_POLL_LIMIT		100

static void (*volatile ap_fn)(unsigned cpu);

static uint32_t lapic_read(uint32_t reg)
{
	return mmio_read32(LAPIC_BASE + reg);
}

static void lapic_write(uint32_t reg, uint32_t v)
{
	mmio_write32(LAPIC_BASE + reg, v);
}

unsigned smp_cpu_id(void)
{
	return lapic_read(LAPIC_ID) >> 24;
}

static void send_ipi(unsigned dest, uint32_t icr)
{
	lapic_write(LAPIC_ICR_HI, dest << 24);
	lapic_write(LAPIC_ICR_LO, icr);
	for (int i = 0; i < ICR_POLL_LIMIT && (lapic_read(LAPIC_ICR_LO) & ICR_BUSY); i++)
		cpu_relax();
}

void ap_main(unsigned cpu)
{
	idt_load();
	ap_fn(cpu);
	/* entry.S parks the CPU when we return. */
}

unsigned smp_start_aps(void (*fn)(unsigned cpu))
{
	unsigned n = fw_cfg_nb_cpus(), self = smp_cpu_id(), started = 0;

	if (n > RT_MAX_CPUS)
		n = RT_MAX_CPUS;
	ap_fn = fn;
	memcpy((void *)AP_TRAMPOLINE_ADDR, ap_trampoline_start,
	       (size_t)(ap_trampoline_end - ap_trampoline_start));
	lapic_write(LAPIC_SVR, SVR_ENABLE | SVR_SPURIOUS_VEC);

	/*
	 * The architectural 10 ms / 200 us waits between INIT and the SIPIs
	 * matter for real hardware only; KVM's in-kernel LAPIC queues them.
	 */
	for (unsigned id = 0; id < n; id++) {
		if (id == self)
			continue;
		send_ipi(id, ICR_INIT | ICR_ASSERT);
		send_ipi(id, ICR_STARTUP | ICR_ASSERT | AP_SIPI_VECTOR);
		send_ipi(id, ICR_STARTUP | ICR_ASSERT | AP_SIPI_VECTOR);
		started++;
	}
	return started;
}
