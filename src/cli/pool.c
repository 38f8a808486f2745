/* SPDX-License-Identifier: MIT */
/* `specvisor pool baseline|check`: one CPU model for a pool of hosts, the
 * enforcement plan per host, and whether a model can run on a host. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cpu/host_json.h"
#include "cpu/model_json.h"
#include "cpu/pool.h"
#include "util/log.h"

static void pool_usage(FILE *f)
{
	fprintf(f,
"usage: specvisor pool baseline HOST.json... [--name NAME] [--output FILE] [--plan-only]\n"
"       specvisor pool check MODEL HOST.json\n"
"\n"
"  baseline  one CPU model every host of the pool can run (host profiles from\n"
"            `specvisor host probe`, or data/hosts/): CPUID feature bits ANDed;\n"
"            IA32_ARCH_CAPABILITIES *_NO and capability bits ANDed, RSBA, RRSBA,\n"
"            FB_CLEAR, RFDS_CLEAR ORed; the signature of the oldest host.\n"
"            The model JSON goes to stdout (or --output FILE, default name\n"
"            \"pool\"); the enforcement plan - which IA32_SPEC_CTRL bits\n"
"            specvisor forces on each host for a guest reporting retpoline,\n"
"            the BHB-clearing loop, both or neither - goes to stderr.\n"
"            --plan-only prints just the plan, to stdout.  Mixed vendors are\n"
"            refused.\n"
"  check     can MODEL (built-in name or JSON file) run on the host?  Exit 0\n"
"            with a \"compatible\" line and what would be forced there, or\n"
"            exit 1 with every reason, one per line: CPUID bits the host's\n"
"            KVM lacks, ARCH_CAPABILITIES rules, vendor, unpresentable bits.\n"
"\n"
"Exit status: 0 yes, 1 no (incompatible, or a pool that cannot be levelled),\n"
"2 bad usage or a bad input file (one error line names the file and field).\n"
"Rules and their reasons: docs/models.md.\n");
}

static bool valid_name(const char *s)
{
	if (!*s || strlen(s) >= MODEL_NAME_LEN)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr("-_.", *s))
			return false;
	return true;
}

static int pool_cmd_baseline(int argc, char **argv)
{
	const char *name = "pool", *output = NULL;
	static const char *files[POOL_MAX_HOSTS];
	struct host_profile *hosts = NULL;
	struct pool_reasons *why = NULL;
	struct pool_plan *plan = NULL;
	struct cpu_model *m = NULL;
	unsigned int n = 0;
	bool plan_only = false;
	int status = 1;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			pool_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--name") || !strcmp(argv[i], "--output")) {
			if (i + 1 >= argc) {
				log_err("pool baseline: %s needs a value", argv[i]);
				return 2;
			}
			if (!strcmp(argv[i], "--name"))
				name = argv[++i];
			else
				output = argv[++i];
		} else if (!strcmp(argv[i], "--plan-only")) {
			plan_only = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			log_err("pool baseline: unknown option '%s' (see specvisor pool --help)", argv[i]);
			return 2;
		} else if (n >= POOL_MAX_HOSTS) {
			log_err("pool baseline: more than %d host profiles", POOL_MAX_HOSTS);
			return 2;
		} else {
			files[n++] = argv[i];
		}
	}
	if (!n) {
		log_err("pool baseline: give at least one host profile (HOST.json from specvisor host probe)");
		return 2;
	}
	if (!valid_name(name)) {
		log_err("pool baseline: --name '%s': use lower-case letters, digits, '-', '_', '.' (max %d)",
			name, MODEL_NAME_LEN - 1);
		return 2;
	}
	if (plan_only && output) {
		log_err("pool baseline: --plan-only writes no model; --output makes no sense with it");
		return 2;
	}
	hosts = calloc(n, sizeof(*hosts));
	plan = calloc(1, sizeof(*plan));
	m = calloc(1, sizeof(*m));
	why = calloc(1, sizeof(*why));
	if (!hosts || !plan || !m || !why) {
		log_err("pool baseline: out of memory");
		goto out;
	}
	for (unsigned int i = 0; i < n; i++) {
		if (host_profile_load(files[i], &hosts[i]) < 0) {
			log_err("%s", err_msg());
			status = 2;	/* bad input, not an answer */
			goto out;
		}
	}
	if (pool_baseline(hosts, n, m, plan) < 0) {
		log_err("%s", err_msg());
		goto out;
	}
	snprintf(m->name, sizeof(m->name), "%s", name);
	/* The baseline must pass its own check on every host; say so if not. */
	for (unsigned int i = 0; i < n; i++)
		if (pool_check(m, &hosts[i], why) > 0)
			log_warn("baseline fails pool check on host %s: %s", hosts[i].name, why->r[0].text);
	if (plan_only) {
		pool_plan_print(plan, stdout);
		status = 0;
		goto out;
	}
	if (output) {
		FILE *f = fopen(output, "w");
		int rc;

		if (!f) {
			log_err("%s: %s", output, strerror(errno));
			goto out;
		}
		rc = model_write_json(m, f);
		if (fclose(f) && !rc)
			rc = err_set(-EIO, "%s: %s", output, strerror(errno));
		if (rc < 0) {
			log_err("%s", err_msg());
			goto out;
		}
	} else if (model_write_json(m, stdout) < 0) {
		log_err("%s", err_msg());
		goto out;
	}
	fflush(stdout);
	pool_plan_print(plan, stderr);
	status = 0;
out:
	free(hosts);
	free(plan);
	free(m);
	free(why);
	return status;
}

static int pool_cmd_check(int argc, char **argv)
{
	const char *args[2];
	struct host_profile *hp = calloc(1, sizeof(*hp));
	struct pool_reasons *r = calloc(1, sizeof(*r));
	struct cpu_model *m = calloc(1, sizeof(*m));
	struct pool_host_plan *p = calloc(1, sizeof(*p));
	int n = 0, status = 1;

	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			pool_usage(stdout);
			status = 0;
			goto out;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			log_err("pool check: unknown option '%s' (see specvisor pool --help)", argv[i]);
			status = 2;
			goto out;
		} else if (n >= 2) {
			log_err("pool check: unexpected argument '%s' (want MODEL HOST.json)", argv[i]);
			status = 2;
			goto out;
		}
		args[n++] = argv[i];
	}
	if (n != 2) {
		log_err("pool check: want MODEL HOST.json");
		status = 2;
		goto out;
	}
	if (!hp || !r || !m || !p) {
		log_err("pool check: out of memory");
		goto out;
	}
	if (model_load(args[0], m) < 0 || host_profile_load(args[1], hp) < 0) {
		log_err("%s", err_msg());
		status = 2;	/* bad input, not an answer */
		goto out;
	}
	if (pool_check(m, hp, r) == 0) {
		printf("compatible: model %s can run on host %s\n", m->name, hp->name);
		pool_plan_host(hp, p);
		pool_plan_host_print(p, stdout);
		status = 0;
		goto out;
	}
	printf("incompatible: model %s cannot run on host %s (%u reason%s):\n", m->name, hp->name,
	       r->n + r->dropped, r->n + r->dropped == 1 ? "" : "s");
	for (unsigned int i = 0; i < r->n; i++)
		printf("  %s\n", r->r[i].text);
	if (r->dropped)
		printf("  ... and %u more\n", r->dropped);
out:
	free(hp);
	free(r);
	free(m);
	free(p);
	return status;
}

int cmd_pool(int argc, char **argv)
{
	if (argc < 2) {
		log_err("pool: which subcommand? (baseline or check; see specvisor pool --help)");
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		pool_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "baseline"))
		return pool_cmd_baseline(argc, argv);
	if (!strcmp(argv[1], "check"))
		return pool_cmd_check(argc, argv);
	log_err("pool: unknown subcommand '%s' (want baseline or check)", argv[1]);
	return 2;
}
