/* SPDX-License-Identifier: MIT */
/*
 * MSR-layer probe driven by the command line: a space-separated list of
 * operations, one result line each (see guest/README.md):
 *   rd:MSR            -> "rd 0xMSR = 0xVAL" | "rd 0xMSR #GP"
 *   wr:MSR=VAL        -> "wr 0xMSR 0xVAL ok" | "wr 0xMSR 0xVAL #GP"
 *   cpuid:LEAF[.SUB]  -> "cpuid 0xLEAF.0xSUB eax=.. ebx=.. ecx=.. edx=.."
 *   vmitig:LIST       -> "vmitig detected=archcap|hvleaf|none enum=0x.. ctrl=0x.."
 *                        LIST: none | bhb | retpoline | bhb,retpoline
 * Tokens without a ':' (the kernel path QEMU prepends) are skipped.
 */
#include "rt.h"
#include "vmitig.h"

#define TOKEN_MAX	128

static const char *vec_name(int vec)
{
	switch (vec) {
	case 6:
		return "#UD";
	case 13:
		return "#GP";
	case 14:
		return "#PF";
	default:
		return "#EXC";
	}
}

static void op_rd(const char *arg)
{
	uint32_t msr = (uint32_t)parse_u64(arg, NULL);
	uint64_t val;
	int vec = rdmsr_safe(msr, &val);

	if (vec)
		printf("rd 0x%x %s\n", msr, vec_name(vec));
	else
		printf("rd 0x%x = 0x%llx\n", msr, (unsigned long long)val);
}

static void op_wr(const char *arg)
{
	const char *p;
	uint32_t msr = (uint32_t)parse_u64(arg, &p);
	uint64_t val = *p == '=' ? parse_u64(p + 1, NULL) : 0;
	int vec = wrmsr_safe(msr, val);

	printf("wr 0x%x 0x%llx %s\n", msr, (unsigned long long)val,
	       vec ? vec_name(vec) : "ok");
}

static void op_cpuid(const char *arg)
{
	const char *p;
	uint32_t leaf = (uint32_t)parse_u64(arg, &p);
	uint32_t sub = *p == '.' ? (uint32_t)parse_u64(p + 1, NULL) : 0;
	struct cpuid_regs r = cpuid(leaf, sub);

	printf("cpuid 0x%x.%u eax=0x%x ebx=0x%x ecx=0x%x edx=0x%x\n",
	       leaf, sub, r.eax, r.ebx, r.ecx, r.edx);
}

static bool list_has(const char *list, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = list; *p; ) {
		if (!strncmp(p, word, n) && (p[n] == ',' || p[n] == '\0'))
			return true;
		while (*p && *p != ',')
			p++;
		if (*p == ',')
			p++;
	}
	return false;
}

static void op_vmitig(const char *arg)
{
	struct vmitig v;
	int ret = vmitig_detect(&v);

	if (ret > 0)
		ret = vmitig_report(&v, list_has(arg, "bhb"), list_has(arg, "retpoline"));
	if (ret < 0 && v.fault)
		printf("vmitig fault %s msr=0x%x\n", vec_name(v.fault), v.fault_msr);
	printf("vmitig detected=%s enum=0x%llx ctrl=0x%llx\n", vmitig_via_name(v.via),
	       (unsigned long long)v.miti_enum, (unsigned long long)v.miti_ctrl);
}

static void run_op(const char *tok)
{
	static const struct {
		const char *name;
		void (*fn)(const char *arg);
	} ops[] = {
		{ "rd:", op_rd },
		{ "wr:", op_wr },
		{ "cpuid:", op_cpuid },
		{ "vmitig:", op_vmitig },
	};
	bool has_colon = false;

	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t n = strlen(ops[i].name);

		if (!strncmp(tok, ops[i].name, n)) {
			ops[i].fn(tok + n);
			return;
		}
	}
	for (const char *p = tok; *p; p++)
		has_colon |= *p == ':';
	if (has_colon)
		printf("msrprobe: bad op %s\n", tok);
}

int main(void)
{
	const char *p = mb_cmdline();
	char tok[TOKEN_MAX];

	while (*p) {
		size_t n = 0;

		while (*p == ' ')
			p++;
		while (*p && *p != ' ') {
			if (n < sizeof(tok) - 1)
				tok[n++] = *p;
			p++;
		}
		tok[n] = '\0';
		if (n)
			run_op(tok);
	}
	printf("msrprobe: done\n");
	return 0;
}
