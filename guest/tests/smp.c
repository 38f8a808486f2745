/* SPDX-License-Identifier: MIT */
/*
 * Start every vCPU fw_cfg announces; each reports in once.  Exit 0 if all
 * came up within the time bound, 1 otherwise.
 */
#include "rt.h"

/*
 * TSC ticks to wait for the APs: about 2-5 s at the 1-3 GHz TSC rates seen
 * in practice.  Time-bounded rather than iteration-bounded because an
 * iteration costs anything from nanoseconds (hardware) to microseconds
 * (emulated CPL0 on the nested build hosts).
 */
#define AP_WAIT_TSC	6000000000ull

static volatile unsigned online;

static void cpu_online(unsigned cpu)
{
	printf("cpu %u online\n", cpu);
	/* After the print, so the BSP's summary line comes last. */
	__atomic_fetch_add(&online, 1, __ATOMIC_RELEASE);
}

int main(void)
{
	unsigned n = fw_cfg_nb_cpus(), got;
	uint64_t t0;

	printf("smp: nb_cpus=%u\n", n);
	cpu_online(smp_cpu_id());
	smp_start_aps(cpu_online);

	t0 = rdtsc();
	while ((got = __atomic_load_n(&online, __ATOMIC_ACQUIRE)) < n &&
	       rdtsc() - t0 < AP_WAIT_TSC)
		cpu_relax();

	printf("smp: %u/%u cpus online\n", got, n);
	return got == n ? 0 : 1;
}
