/* SPDX-License-Identifier: MIT */
/* `specvisor host probe`: this host's profile, asked of KVM. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cpu/host_json.h"
#include "cpu/host_probe.h"
#include "util/log.h"

static void host_usage(FILE *f)
{
	fprintf(f,
"usage: specvisor host probe [--output FILE] [--kvm PATH]\n"
"\n"
"Write this host's profile as JSON: the CPUID KVM supports, the feature MSRs\n"
"(IA32_ARCH_CAPABILITIES and the others KVM lists), the capabilities that\n"
"matter (MSR filter, userspace MSR exits, bus-lock exits, whether SPEC_CTRL\n"
"and CET can be loaded), kernel release, microcode revision, and the security\n"
"CPUID bits this host's KVM will not present as asked (probed on a scratch vCPU).\n"
"Files of this format describe other hosts to `pool` and `run --host-profile`.\n");
}

int cmd_host(int argc, char **argv)
{
	static struct host_profile hp;
	const char *out = NULL, *kvm = "/dev/kvm";
	struct kvm_sys k;
	FILE *f = stdout;
	int rc;

	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		host_usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "probe")) {
		log_err("host: unknown subcommand '%s' (want: probe)", argv[1]);
		return 2;
	}
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			host_usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--output") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--kvm") && i + 1 < argc) {
			kvm = argv[++i];
		} else {
			log_err("host probe: unexpected argument '%s' (see specvisor host --help)", argv[i]);
			return 2;
		}
	}
	rc = kvm_sys_open(&k, kvm);
	if (rc < 0) {
		log_err("%s", err_msg());
		return 2;
	}
	rc = host_probe(&k, &hp);
	kvm_sys_close(&k);
	if (rc < 0) {
		log_err("%s", err_msg());
		return 2;
	}
	if (out && !(f = fopen(out, "w"))) {
		log_err("--output %s: %m", out);
		return 2;
	}
	rc = host_profile_write_json(&hp, f);
	/* Close (or flush) in every case; a failure there is the error if the
	 * write itself went well. */
	if ((f == stdout ? fflush(f) : fclose(f)) != 0 && rc == 0)
		rc = err_set(-errno, "%s: %s", out ? out : "stdout", strerror(errno));
	if (rc < 0) {
		log_err("writing the host profile: %s", err_msg());
		return 2;
	}
	return 0;
}
