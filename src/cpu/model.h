/* SPDX-License-Identifier: MIT */
#ifndef SV_CPU_MODEL_H
#define SV_CPU_MODEL_H

/*
 * A CPU model: what a guest is shown, the same on every host of a pool.
 * CPUID leaves plus the IA32_ARCH_CAPABILITIES value, as one value type.
 * Built-in models live in data/models/<name>.json (docs/models.md).
 */

#include <stdbool.h>
#include <stdint.h>

#include "cpu/cpuid.h"

enum cpu_vendor { VENDOR_UNKNOWN, VENDOR_INTEL, VENDOR_AMD };

#define MODEL_NAME_LEN 64
#define MODEL_TEXT_LEN 256
#define MODEL_MAX_SOURCES 48

struct model_source {
	char key[64];		/* e.g. "cpuid.0x7.0.edx", "arch_capabilities" */
	char text[MODEL_TEXT_LEN];
};

struct cpu_model {
	char name[MODEL_NAME_LEN];
	char description[MODEL_TEXT_LEN];
	enum cpu_vendor vendor;
	uint32_t family, model, stepping;
	char data_kind[16];	/* "raw", "kvm" or "derived" (cpu-generations.md) */
	struct cpuid_set cpuid;	/* leaves the model defines; others come from the host */
	uint64_t arch_cap;	/* IA32_ARCH_CAPABILITIES (meaningful iff 7.0.EDX[29]) */
	unsigned int nsources;
	struct model_source sources[MODEL_MAX_SOURCES];
};

const char *cpu_vendor_name(enum cpu_vendor v);	/* "GenuineIntel", "AuthenticAMD" */
enum cpu_vendor cpu_vendor_parse(const char *s);
/* Vendor from leaf 0 of a CPUID set. */
enum cpu_vendor cpuid_vendor(const struct cpuid_set *set);

#endif
