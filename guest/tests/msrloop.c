/* SPDX-License-Identifier: MIT */
/*
 * msrloop: the guest of bench/run.sh's MSR-exit cost.  Writes IA32_SPEC_CTRL
 * n times (command line "n=COUNT", default 1000), alternating IBRS on and off,
 * and reports the TSC ticks spent, measured inside the guest so VMM start-up
 * is excluded:  "msrloop: n=COUNT tsc=TICKS faults=F".
 */
#include "rt.h"

int main(void)
{
	const char *c = mb_cmdline();
	uint64_t n = 1000, t0, t1;
	unsigned int faults = 0;

	for (const char *p = c ? c : ""; *p; p++)
		if (p[0] == 'n' && p[1] == '=')
			n = parse_u64(p + 2, NULL);
	t0 = rdtsc();
	for (uint64_t i = 0; i < n; i++)
		if (wrmsr_safe(0x48, i & 1))
			faults++;
	t1 = rdtsc();
	printf("msrloop: n=%llu tsc=%llu faults=%u\n", (unsigned long long)n,
	       (unsigned long long)(t1 - t0), faults);
	return 0;
}
