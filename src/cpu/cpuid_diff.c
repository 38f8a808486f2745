/* SPDX-License-Identifier: MIT */
#include "cpu/cpuid_diff.h"

#include <stdio.h>

#include "cpu/model.h"
#include "msr/msr_index.h"

static unsigned int push(struct host_cpuid_change *out, unsigned int n, unsigned int max,
			 uint32_t fn, uint32_t idx, enum cpuid_reg reg, unsigned int bit,
			 unsigned int want, unsigned int got)
{
	if (n < max)
		out[n] = (struct host_cpuid_change) { .function = fn, .index = idx, .reg = reg,
			.bit = (uint8_t)bit, .wanted = (uint8_t)want, .got = (uint8_t)got };
	return n + 1;
}

unsigned int cpuid_diff_security(const struct cpuid_set *want, const struct cpuid_set *got,
				 struct host_cpuid_change *out, unsigned int max)
{
	unsigned int n = 0;

	for (int i = 0; i < F_COUNT; i++) {
		const struct cpu_feature_info *f = &cpu_features[i];
		unsigned int w, g;

		if (!f->security)
			continue;
		w = cpuid_has(want, (enum cpu_feature)i);
		g = cpuid_has(got, (enum cpu_feature)i);
		if (w != g)
			n = push(out, n, max, f->function, f->index, f->reg, f->bit, w, g);
	}
	/* The vendor-neutral discovery leaves must arrive whole. */
	for (uint32_t fn = SPECVISOR_CPUID_BASE; fn <= SPECVISOR_CPUID_FEATURES; fn++) {
		const struct cpuid_entry *we = cpuid_find(want, fn, 0);

		if (!we)
			continue;
		for (int r = CPUID_EAX; r <= CPUID_EDX; r++) {
			uint32_t wv = cpuid_entry_reg_get(we, (enum cpuid_reg)r);
			uint32_t gv = cpuid_reg(got, fn, 0, (enum cpuid_reg)r);

			for (unsigned int b = 0; b < 32; b++)
				if (((wv ^ gv) >> b) & 1)
					n = push(out, n, max, fn, 0, (enum cpuid_reg)r, b,
						 (wv >> b) & 1, (gv >> b) & 1);
		}
	}
	return n;
}

void cpuid_change_format(const struct host_cpuid_change *c, char *buf, unsigned long len)
{
	const char *name = cpuid_bit_name(c->function, c->index, c->reg, c->bit);
	const char *r = cpuid_reg_name(c->reg);

	snprintf(buf, len, "CPUID.0x%x.%u:%c%c%c[%u]%s%s: wanted %u, got %u",
		 c->function, c->index, r[0] - 32, r[1] - 32, r[2] - 32, c->bit,
		 name ? " " : "", name ? name : "", c->wanted, c->got);
}
