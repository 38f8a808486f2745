/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the model and host-profile parsers, and what a parsed
 * value goes through next (write, re-parse, guest CPUID, pool check and
 * baseline).  A value that parses must write and re-parse to the same value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/guest_cpuid.h"
#include "cpu/host_json.h"
#include "cpu/model_json.h"
#include "cpu/pool.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cpu_model m, m2;
static struct host_profile hp, hp2;
static struct cpuid_set out;
static struct pool_reasons why;
static struct pool_plan plan;

static void check_model(void)
{
	struct guest_cpuid_opts o = { .vcpu_id = 1, .nvcpus = 2, .virt_msrs = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	if (model_write_json(&m, f))
		abort();
	fclose(f);
	if (model_parse_json(buf, len, "rewrite", &m2) || memcmp(&m, &m2, sizeof(m)))
		abort();	/* round trip broken */
	free(buf);
	guest_cpuid_build(&m, &m.cpuid, &o, &out);
}

static void check_host(void)
{
	struct guest_cpuid_opts o = { .nvcpus = 1, .amd_arch_cap = true };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	if (host_profile_write_json(&hp, f))
		abort();
	fclose(f);
	if (host_profile_parse_json(buf, len, "rewrite", &hp2) || memcmp(&hp, &hp2, sizeof(hp)))
		abort();
	free(buf);
	guest_cpuid_build(NULL, &hp.cpuid, &o, &out);
	if (!model_from_host(&hp, &m2))
		pool_check(&m2, &hp, &why);
	if (!pool_baseline(&hp, 1, &m2, &plan) && pool_check(&m2, &hp, &why))
		abort();	/* a one-host pool must run on its host */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!model_parse_json((const char *)data, size, "fuzz", &m))
		check_model();
	if (!host_profile_parse_json((const char *)data, size, "fuzz", &hp))
		check_host();
	return 0;
}
