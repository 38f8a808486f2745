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
#include <stdio.h>

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
	char qemu[MODEL_NAME_LEN];	/* QEMU base -cpu model, "" if QEMU has none */
};

const char *cpu_vendor_name(enum cpu_vendor v);	/* "GenuineIntel", "AuthenticAMD" */
enum cpu_vendor cpu_vendor_parse(const char *s);
/* Vendor from leaf 0 of a CPUID set. */
enum cpu_vendor cpuid_vendor(const struct cpuid_set *set);
/* Leaf 0 EBX/EDX/ECX of a vendor; false for VENDOR_UNKNOWN. */
bool cpu_vendor_regs(enum cpu_vendor v, uint32_t *ebx, uint32_t *ecx, uint32_t *edx);

/* CPUID.1.EAX <-> (family, model, stepping) as the SDM/APM encode them. */
void cpu_signature_decode(uint32_t eax, uint32_t *family, uint32_t *model, uint32_t *stepping);
/* -EINVAL when the triple cannot be encoded (family > 0x10e, model > 0xf for
 * a family that has no extended model, ...). */
int cpu_signature_encode(uint32_t family, uint32_t model, uint32_t stepping, uint32_t *eax);

/* Whether a leaf's value depends on ECX (KVM's "significant index"). */
bool cpuid_leaf_indexed(uint32_t function);

/*
 * How each register of a leaf is combined (guest CPUID, pool baseline, pool
 * check).  FEATURE registers are bitmaps: the guest may only see bits the host
 * has, a pool ANDs them.  Bits in cpuid_dynamic_bits() are set by the VMM or at
 * run time and are never compared.
 */
enum cpuid_reg_kind {
	REG_MODEL,	/* a value of the model (vendor string, signature, sizes) */
	REG_FEATURE,	/* a feature bitmap */
	REG_MAXLEAF,	/* leaf 0 / 0x80000000 EAX: computed from the leaves present */
	REG_COMPUTED,	/* 1.EBX (APIC ID, count), 0xD.0.ECX (XSAVE size): computed */
	REG_ADDR,	/* 0x80000008.EAX address sizes: per-byte minimum */
	REG_HOST,	/* topology values (0x80000008.ECX/EDX): the host's */
};
enum cpuid_reg_kind cpuid_reg_kind(uint32_t fn, uint32_t idx, enum cpuid_reg r);
uint32_t cpuid_dynamic_bits(uint32_t fn, uint32_t idx, enum cpuid_reg r);
/* Bits of cpu_features[] marked security in this register. */
uint32_t cpuid_security_bits(uint32_t fn, uint32_t idx, enum cpuid_reg r);
/* The leaves a model manages: when a model does not define one of these, the
 * guest does not get the host's either (so every host shows the same). */
bool cpuid_leaf_managed(uint32_t fn, uint32_t idx);
/* XSAVE area size (0xD.0.ECX) for the user components in xcr0, from the
 * offset/size sub-leaves 0xD.n of `layout`; 0 if one is missing. */
uint32_t cpuid_xsave_size(const struct cpuid_set *layout, uint64_t xcr0);
/* Feature name of a bit, or NULL. */
const char *cpuid_bit_name(uint32_t fn, uint32_t idx, enum cpuid_reg r, unsigned int bit);

/* IA32_ARCH_CAPABILITIES bits: names, QEMU names, pool rule (reference §2.1). */
enum arch_cap_class {
	ACAP_AND,	/* *_NO and capability bits: every host must have it */
	ACAP_OR,	/* behaviour bits (RSBA, RRSBA, FB_CLEAR, RFDS_CLEAR): any host */
	ACAP_NEVER,	/* KVM never passes it to guests: cleared */
	ACAP_VMM,	/* set by the VMM itself (VIRTUAL_ENUM): not part of a model */
};
struct arch_cap_bit {
	unsigned int bit;
	const char *name;
	const char *qemu;	/* QEMU property, NULL if none */
	enum arch_cap_class cls;
};
extern const struct arch_cap_bit arch_cap_bits[];
extern const unsigned int arch_cap_nbits;
const struct arch_cap_bit *arch_cap_bit_info(unsigned int bit);
uint64_t arch_cap_class_mask(enum arch_cap_class c);

/* QEMU base model for a CPU, "" if QEMU 10.2.2 has none (cpu-generations.md). */
const char *cpu_qemu_base(enum cpu_vendor v, uint32_t family, uint32_t model, uint32_t stepping);

/* Sources: "cpuid.0x7.0.edx" style keys (docs/models.md). */
const char *model_source(const struct cpu_model *m, const char *key);
int model_source_set(struct cpu_model *m, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cpuid_source_key(char *buf, size_t len, uint32_t fn, uint32_t idx, enum cpuid_reg r);

/* Semantic checks shared by the parser and by model producers (baseline,
 * model_from_host): leaf 0/1 agree with vendor and signature, etc. */
int model_validate(const struct cpu_model *m);

/* Byte-wise minimum: for registers made of byte-sized counts (e.g. address
 * sizes in 0x80000008.EAX), where the smaller value is the safe one. */
uint32_t cpuid_bytes_min(uint32_t a, uint32_t b);

#endif
