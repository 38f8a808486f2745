/* SPDX-License-Identifier: MIT */
/* `specvisor model list|show`: the built-in CPU models (docs/models.md). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cpu/model_json.h"
#include "util/log.h"

static void model_usage(FILE *f)
{
	fprintf(f,
"usage: specvisor model list\n"
"       specvisor model show NAME|FILE [--format text|json|qemu]\n"
"\n"
"CPU models of real CPU generations: the CPUID leaves and the\n"
"IA32_ARCH_CAPABILITIES value a guest is shown, the same on every host of a\n"
"pool, each security value with its source (docs/models.md).\n"
"\n"
"  list     name, vendor, family/model/stepping and description of each model\n"
"  show     one model, by built-in name or JSON file:\n"
"             text  the security bits decoded, each register with its source\n"
"             json  the model file\n"
"             qemu  the equivalent value of qemu-system-x86_64 -cpu: QEMU's base\n"
"                   model, family/model/stepping, and +/- for every security\n"
"                   bit QEMU can name; bits QEMU cannot express go to stderr.\n"
"                   Model and property names are QEMU 10.2's; older QEMUs\n"
"                   (Debian 12 has 7.2) lack some of them.\n"
"\n"
"Built-in models are searched in $SPECVISOR_DATA/models, then next to the\n"
"binary (../data/models, ../../data/models, ../share/specvisor/models).\n");
}

static int model_cmd_list(void)
{
	static char names[MODEL_MAX_BUILTIN][MODEL_NAME_LEN];
	static struct cpu_model m;
	int n = model_list(names, MODEL_MAX_BUILTIN), status = 0;

	if (!n) {
		log_err("no CPU models found (searched $SPECVISOR_DATA/models and next to the binary)");
		return 1;
	}
	printf("%-20s %-13s %-6s %-6s %-4s %s\n", "NAME", "VENDOR", "FAMILY", "MODEL", "STEP", "DESCRIPTION");
	for (int i = 0; i < n; i++) {
		if (model_load(names[i], &m) < 0) {
			log_err("%s", err_msg());
			status = 1;
			continue;
		}
		printf("%-20s %-13s 0x%-4" PRIx32 " 0x%-4" PRIx32 " %-4" PRIu32 " %s\n", m.name,
		       cpu_vendor_name(m.vendor), m.family, m.model, m.stepping, m.description);
	}
	return status;
}

static void show_register(const struct cpu_model *m, uint32_t fn, uint32_t idx, enum cpuid_reg r)
{
	uint32_t v = cpuid_reg(&m->cpuid, fn, idx, r);
	char key[64];
	const char *src;

	printf("\nCPUID 0x%" PRIx32 ".%" PRIu32 " %s = 0x%08" PRIx32 "\n", fn, idx, cpuid_reg_name(r), v);
	for (int i = 0; i < F_COUNT; i++) {
		const struct cpu_feature_info *fi = &cpu_features[i];

		if (fi->security && fi->function == fn && fi->index == idx && fi->reg == r)
			printf("  [%2u] %-22s %u\n", fi->bit, fi->name, (v >> fi->bit) & 1);
	}
	cpuid_source_key(key, sizeof(key), fn, idx, r);
	src = model_source(m, key);
	printf("  source: %s\n", src ? src : "(none given)");
}

static bool shown_register(const char *key)
{
	static const char *const regs[] = {
		"cpuid.0x7.0.ebx", "cpuid.0x7.0.ecx", "cpuid.0x7.0.edx", "cpuid.0x7.2.edx",
		"cpuid.0x80000008.0.ebx", "cpuid.0x80000021.0.eax", "signature", "arch_capabilities", NULL
	};

	for (const char *const *r = regs; *r; r++)
		if (!strcmp(*r, key))
			return true;
	return false;
}

static void model_show_text(const struct cpu_model *m)
{
	static const struct { uint32_t fn, idx; enum cpuid_reg r; } regs[] = {
		{ 7, 0, CPUID_EBX }, { 7, 0, CPUID_ECX }, { 7, 0, CPUID_EDX }, { 7, 2, CPUID_EDX },
		{ 0x80000008, 0, CPUID_EBX }, { 0x80000021, 0, CPUID_EAX },
	};
	static const char *const cls[] = { "pool AND", "pool OR", "never given to guests", "set by the VMM" };
	const char *src = model_source(m, "signature");
	bool has_acap = cpuid_has(&m->cpuid, F_ARCH_CAPABILITIES);

	printf("%s: %s\n", m->name, m->description);
	printf("  vendor %s, family %" PRIu32 " (0x%" PRIx32 "), model %" PRIu32 " (0x%" PRIx32 "), stepping %" PRIu32
	       "; CPUID.1.EAX 0x%08" PRIx32 "\n", cpu_vendor_name(m->vendor), m->family, m->family, m->model, m->model,
	       m->stepping, cpuid_reg(&m->cpuid, 1, 0, CPUID_EAX));
	printf("  data kind: %s; QEMU base model: %s\n", m->data_kind, m->qemu[0] ? m->qemu : "(none)");
	printf("  signature source: %s\n", src ? src : "(none given)");
	for (unsigned int i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (cpuid_find(&m->cpuid, regs[i].fn, regs[i].idx))
			show_register(m, regs[i].fn, regs[i].idx, regs[i].r);
	if (has_acap) {
		printf("\nIA32_ARCH_CAPABILITIES = 0x%" PRIx64 "\n", m->arch_cap);
		for (unsigned int i = 0; i < arch_cap_nbits; i++) {
			const struct arch_cap_bit *b = &arch_cap_bits[i];

			if (b->cls == ACAP_AND || b->cls == ACAP_OR || (m->arch_cap >> b->bit & 1))
				printf("  [%2u] %-22s %u   (%s)\n", b->bit, b->name,
				       (unsigned int)(m->arch_cap >> b->bit & 1), cls[b->cls]);
		}
	} else {
		printf("\nIA32_ARCH_CAPABILITIES: not enumerated (CPUID.7.0:EDX[29] = 0)%s\n",
		       m->vendor == VENDOR_AMD ? "; on AMD models it is opt-in" : "");
	}
	src = model_source(m, "arch_capabilities");
	printf("  source: %s\n", src ? src : "(none given)");
	for (unsigned int i = 0, first = 1; i < m->nsources; i++) {
		char key[64];
		bool reg = false;

		for (unsigned int k = 0; k < sizeof(regs) / sizeof(regs[0]); k++) {
			cpuid_source_key(key, sizeof(key), regs[k].fn, regs[k].idx, regs[k].r);
			if (!strcmp(key, m->sources[i].key) && cpuid_find(&m->cpuid, regs[k].fn, regs[k].idx))
				reg = true;
		}
		if (reg || shown_register(m->sources[i].key))
			continue;
		if (first)
			printf("\nother sources:\n");
		first = 0;
		printf("  %s: %s\n", m->sources[i].key, m->sources[i].text);
	}
}

/* -cpu value equivalent to the model's security view (cpu-generations.md
 * names the QEMU models; arch-caps names in model.c). */
static int model_show_qemu(const struct cpu_model *m)
{
	char missing[1024] = "";
	size_t off = 0;
	bool acap = cpuid_has(&m->cpuid, F_ARCH_CAPABILITIES);

	if (!m->qemu[0]) {
		log_err("model %s: QEMU 10.2.2 has no model for this CPU generation; no -cpu equivalent", m->name);
		return 1;
	}
	printf("%s,family=%" PRIu32 ",model=%" PRIu32 ",stepping=%" PRIu32, m->qemu, m->family, m->model, m->stepping);
	for (int i = 0; i < F_COUNT; i++) {
		const struct cpu_feature_info *fi = &cpu_features[i];
		bool on;

		if (!fi->security)
			continue;
		/* A leaf the model does not define is hidden from the guest. */
		on = cpuid_find(&m->cpuid, fi->function, fi->index) && cpuid_has(&m->cpuid, (enum cpu_feature)i);
		if (fi->qemu)
			printf(",%c%s", on ? '+' : '-', fi->qemu);
		else if (on && off < sizeof(missing))
			off += (size_t)snprintf(missing + off, sizeof(missing) - off, " cpuid 0x%" PRIx32 ".%" PRIu32
						" %s[%u] %s=1;", fi->function, fi->index, cpuid_reg_name(fi->reg),
						fi->bit, fi->name);
	}
	for (unsigned int i = 0; acap && i < arch_cap_nbits; i++) {
		const struct arch_cap_bit *b = &arch_cap_bits[i];
		bool on = m->arch_cap >> b->bit & 1;

		if (b->qemu)
			printf(",%c%s", on ? '+' : '-', b->qemu);
		else if (on && off < sizeof(missing))
			off += (size_t)snprintf(missing + off, sizeof(missing) - off, " arch_capabilities[%u] %s=1;",
						b->bit, b->name);
	}
	printf("\n");
	if (off)
		fprintf(stderr, "# QEMU cannot express:%s\n", missing);
	return 0;
}

static int model_cmd_show(int argc, char **argv)
{
	static struct cpu_model m;
	const char *name = NULL, *format = "text";

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			model_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--format")) {
			if (i + 1 >= argc) {
				log_err("model show: --format needs a value (text, json or qemu)");
				return 2;
			}
			format = argv[++i];
		} else if (!strncmp(argv[i], "--format=", 9)) {
			format = argv[i] + 9;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			log_err("model show: unknown option '%s' (see specvisor model --help)", argv[i]);
			return 2;
		} else if (name) {
			log_err("model show: one model at a time ('%s' and '%s')", name, argv[i]);
			return 2;
		} else {
			name = argv[i];
		}
	}
	if (!name) {
		log_err("model show: which model? (specvisor model list names them)");
		return 2;
	}
	if (strcmp(format, "text") && strcmp(format, "json") && strcmp(format, "qemu")) {
		log_err("model show: unknown format '%s' (want text, json or qemu)", format);
		return 2;
	}
	if (model_load(name, &m) < 0) {
		log_err("%s", err_msg());
		return 2;	/* bad input */
	}
	if (!strcmp(format, "json"))
		return model_write_json(&m, stdout) < 0 ? (log_err("%s", err_msg()), 1) : 0;
	if (!strcmp(format, "qemu"))
		return model_show_qemu(&m);
	model_show_text(&m);
	return 0;
}

int cmd_model(int argc, char **argv)
{
	if (argc < 2) {
		log_err("model: which subcommand? (list or show; see specvisor model --help)");
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		model_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "list")) {
		if (argc > 2) {
			if (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h")) {
				model_usage(stdout);
				return 0;
			}
			log_err("model list: unexpected argument '%s'", argv[2]);
			return 2;
		}
		return model_cmd_list();
	}
	if (!strcmp(argv[1], "show"))
		return model_cmd_show(argc, argv);
	log_err("model: unknown subcommand '%s' (want list or show)", argv[1]);
	return 2;
}
