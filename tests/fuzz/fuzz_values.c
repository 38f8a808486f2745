/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the small parsers behind the command line: sizes,
 * bounded integers, --force-spec-ctrl MASK:VALUE, --mitigation-policy and
 * CPUID register names.  Invariants: no crash, a rejected value leaves the
 * output untouched, and an accepted force config is self-consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/cpuid.h"
#include "msr/msr_index.h"
#include "policy/forcing.h"
#include "util/err.h"
#include "util/size.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	uint64_t v = 0x5a5a, w = 0x5a5a;
	struct force_config fc = { .policy = POLICY_OFF }, before;
	enum mitigation_policy p = POLICY_OFF;
	enum cpuid_reg r = CPUID_EAX;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	if (size_parse(s, &v) < 0 && v != 0x5a5a)
		abort();
	if (u64_parse(s, 1, 64, &w) < 0) {
		if (w != 0x5a5a)
			abort();
	} else if (w < 1 || w > 64) {
		abort();
	}
	before = fc;
	if (force_spec_ctrl_parse(s, &fc) < 0) {
		if (memcmp(&before, &fc, sizeof(fc)))
			abort();
	} else if (!fc.explicit_set || (fc.explicit_value & ~fc.explicit_mask)) {
		abort();
	}
	if (policy_parse(s, &p) == 0 && strcmp(policy_name(p), s))
		abort();
	(void)cpuid_reg_parse(s, &r);
	if (strlen(err_msg()) >= 512)
		abort();
	free(s);
	return 0;
}
