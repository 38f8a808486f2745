/* SPDX-License-Identifier: MIT */
/* `specvisor run`: parse the command line into a vm_config, then machine_run(). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "util/log.h"
#include "util/path.h"
#include "util/size.h"
#include "vmm/machine.h"

static void run_usage(FILE *f)
{
	fprintf(f,
"usage: specvisor run [options]\n"
"\n"
"Boot a guest.  Without --kernel, boots the bundled demonstration guest, which\n"
"prints the CPU security controls it sees and negotiates mitigations.\n"
"\n"
"Guest:\n"
"  --kernel FILE             Multiboot v1 image (ELF or a.out kludge) or 64-bit ELF\n"
"  --append STR              kernel command line\n"
"  --initrd FILE[,FILE...]   Multiboot modules; each 'FILE ARGS' (string = whole spec)\n"
"  --mem SIZE                guest RAM: 128M, 1G, or MiB as a bare number\n"
"                            (default 128M, 4M to 3G)\n"
"  --vcpus N                 vCPUs, 1-%d (default 1); APs start by INIT/SIPI\n"
"CPU model and security controls:\n"
"  --cpu-model NAME|FILE     CPU model shown to the guest (default: host)\n"
"  --host-profile FILE       act as on the host that FILE describes (planning)\n"
"  --mitigation-policy P     guest-request (default), always or off\n"
"  --force-spec-ctrl M:V     force SPEC_CTRL bits M to V (takes precedence)\n"
"  --no-virt-msrs            do not offer MSRs 0x50000000-0x50000002\n"
"  --amd-arch-capabilities   expose IA32_ARCH_CAPABILITIES on AMD models (opt-in)\n"
"  --cpuid-enforce           refuse to start if KVM changes a security CPUID bit\n"
"  --bus-lock-ratelimit N    bus locks per second (0 = off, default)\n"
"  --bus-lock-ratelimit-optional  warn instead of failing where the host cannot\n"
"Reporting:\n"
"  --report text|json        per-vCPU security-control report at exit (to stderr)\n"
"  --report-file FILE        write the report to FILE instead\n"
"  --verbose                 debug messages, unclaimed I/O and MSR exits\n"
"  --kvm PATH                KVM device (default /dev/kvm)\n"
"\n"
"Exit status: 0 guest powered off; odd values (v<<1)|1 from a write of v to the\n"
"isa-debug-exit port 0xf4; 2 error; 4 guest triple fault; 6 vCPU failure\n"
"(KVM internal error, failed entry); 128+N stopped by signal N.\n",
		SV_MAX_VCPUS);
}

enum {
	OPT_CPU_MODEL = 256, OPT_HOST_PROFILE, OPT_MEM, OPT_VCPUS, OPT_KERNEL, OPT_INITRD,
	OPT_APPEND, OPT_POLICY, OPT_FORCE, OPT_NO_VIRT, OPT_AMD_ARCH_CAP, OPT_CPUID_ENFORCE,
	OPT_BUSLOCK, OPT_BUSLOCK_OPT, OPT_REPORT, OPT_REPORT_FILE, OPT_VERBOSE, OPT_KVM,
	OPT_CONTROL, OPT_INCOMING, OPT_HELP,
};

static const struct option run_opts[] = {
	{ "cpu-model", required_argument, NULL, OPT_CPU_MODEL },
	{ "host-profile", required_argument, NULL, OPT_HOST_PROFILE },
	{ "mem", required_argument, NULL, OPT_MEM },
	{ "vcpus", required_argument, NULL, OPT_VCPUS },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "mitigation-policy", required_argument, NULL, OPT_POLICY },
	{ "force-spec-ctrl", required_argument, NULL, OPT_FORCE },
	{ "no-virt-msrs", no_argument, NULL, OPT_NO_VIRT },
	{ "amd-arch-capabilities", no_argument, NULL, OPT_AMD_ARCH_CAP },
	{ "cpuid-enforce", no_argument, NULL, OPT_CPUID_ENFORCE },
	{ "bus-lock-ratelimit", required_argument, NULL, OPT_BUSLOCK },
	{ "bus-lock-ratelimit-optional", no_argument, NULL, OPT_BUSLOCK_OPT },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "report-file", required_argument, NULL, OPT_REPORT_FILE },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "kvm", required_argument, NULL, OPT_KVM },
	{ "control", required_argument, NULL, OPT_CONTROL },
	{ "incoming", required_argument, NULL, OPT_INCOMING },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

/* Split "a,b c,d" on commas into module specs; the strings stay in `buf`. */
static int parse_initrd(struct vm_config *c, char *buf)
{
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!*tok)
			continue;
		if (c->nmodules == SV_MAX_MODULES)
			return err_set(-E2BIG, "--initrd: at most %d modules", SV_MAX_MODULES);
		c->modules[c->nmodules++] = tok;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	static char demo[4096];
	static const char *const demo_paths[] = {
		"guest/demo.elf", "../share/specvisor/guest/demo.elf", NULL,
	};
	struct vm_config c = {
		.kvm_path = "/dev/kvm", .mem_size = 128ull << 20, .nvcpus = 1,
		.force = { .policy = POLICY_GUEST_REQUEST }, .virt_msrs = true,
	};
	uint64_t v;
	int opt, rc = 0;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", run_opts, NULL)) != -1) {
		switch (opt) {
		case OPT_CPU_MODEL: c.cpu_model = optarg; break;
		case OPT_HOST_PROFILE: c.host_profile = optarg; break;
		case OPT_MEM:
			rc = size_parse(optarg, &c.mem_size);
			/* A bare number is MiB, as with QEMU's -m. */
			if (!rc && optarg[strspn(optarg, "0123456789")] == '\0')
				c.mem_size <<= 20;
			if (!rc && (c.mem_size < (4ull << 20) || c.mem_size > (3ull << 30)))
				rc = err_set(-ERANGE, "guest RAM must be between 4M and 3G");
			if (rc)
				err_prefix(rc, "--mem");
			break;
		case OPT_VCPUS:
			rc = u64_parse(optarg, 1, SV_MAX_VCPUS, &v);
			if (rc)
				err_prefix(rc, "--vcpus");
			c.nvcpus = (unsigned int)v;
			break;
		case OPT_KERNEL: c.kernel = optarg; break;
		case OPT_INITRD: rc = parse_initrd(&c, optarg); break;
		case OPT_APPEND: c.cmdline = optarg; break;
		case OPT_POLICY:
			rc = policy_parse(optarg, &c.force.policy);
			if (rc)
				err_prefix(rc, "--mitigation-policy");
			break;
		case OPT_FORCE:
			rc = force_spec_ctrl_parse(optarg, &c.force);	/* names the option */
			break;
		case OPT_NO_VIRT: c.virt_msrs = false; break;
		case OPT_AMD_ARCH_CAP: c.amd_arch_cap = true; break;
		case OPT_CPUID_ENFORCE: c.cpuid_enforce = true; break;
		case OPT_BUSLOCK:
			rc = u64_parse(optarg, 0, 1000000000ull, &c.bus_lock_rate);
			if (rc)
				err_prefix(rc, "--bus-lock-ratelimit");
			break;
		case OPT_BUSLOCK_OPT: c.bus_lock_optional = true; break;
		case OPT_REPORT:
			if (!strcmp(optarg, "text"))
				c.report = REPORT_TEXT;
			else if (!strcmp(optarg, "json"))
				c.report = REPORT_JSON;
			else
				rc = err_set(-EINVAL, "--report: '%s' is not text or json", optarg);
			break;
		case OPT_REPORT_FILE: c.report_file = optarg; break;
		case OPT_VERBOSE: log_verbose = 1; break;
		case OPT_KVM: c.kvm_path = optarg; break;
		case OPT_CONTROL:
			rc = err_set(-ENOTSUP, "--control: the QMP control socket is not implemented yet");
			break;
		case OPT_INCOMING:
			rc = err_set(-ENOTSUP, "--incoming: live migration is not implemented yet");
			break;
		case OPT_HELP:
			run_usage(stdout);
			return 0;
		default:
			if (optopt && optopt < 256)
				log_err("run: unknown option '-%c' (see specvisor run --help)", optopt);
			else
				log_err("run: unknown or incomplete option '%s' (see specvisor run --help)",
					argv[optind - 1]);
			return SV_EXIT_ERROR;
		}
		if (rc) {
			log_err("%s", err_msg());
			return SV_EXIT_ERROR;
		}
	}
	if (optind < argc) {
		log_err("run: unexpected argument '%s' (see specvisor run --help)", argv[optind]);
		return SV_EXIT_ERROR;
	}
	if (c.report_file && c.report == REPORT_NONE)
		c.report = REPORT_TEXT;
	if (c.bus_lock_optional && !c.bus_lock_rate)
		log_warn("--bus-lock-ratelimit-optional has no effect without --bus-lock-ratelimit");
	if (!c.kernel) {
		if (path_find_data(demo, sizeof(demo), demo_paths) < 0) {
			log_err("no --kernel given and %s (run 'make' first)", err_msg());
			return SV_EXIT_ERROR;
		}
		c.kernel = demo;
	}
	return machine_run(&c);
}
