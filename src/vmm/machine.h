/* SPDX-License-Identifier: MIT */
#ifndef SV_VMM_MACHINE_H
#define SV_VMM_MACHINE_H

/*
 * One running VM: KVM objects, guest RAM, devices, vCPU threads, the MSR
 * layer's state.  cli/run.c fills a vm_config; machine_run() does the rest and
 * returns the process exit status.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "cpu/host.h"
#include "cpu/model.h"
#include "kvm/vcpu.h"
#include "msr/msr.h"
#include "policy/forcing.h"

/* Exit statuses of `specvisor run` (README "Exit status"). */
#define SV_EXIT_OK		0	/* guest powered off */
#define SV_EXIT_ERROR		2	/* bad input or host setup failure */
#define SV_EXIT_TRIPLE_FAULT	4	/* KVM_EXIT_SHUTDOWN */
#define SV_EXIT_VCPU_FAILED	6	/* INTERNAL_ERROR, FAIL_ENTRY, unhandled exit */
#define SV_EXIT_SIGNAL_BASE	128	/* + signal number, after a clean stop */

#define SV_MAX_VCPUS	64
#define SV_MAX_MODULES	16

enum report_format { REPORT_NONE, REPORT_TEXT, REPORT_JSON };

struct vm_config {
	const char *kvm_path;
	uint64_t mem_size;
	unsigned int nvcpus;
	const char *kernel;		/* NULL: the bundled demonstration guest */
	const char *cmdline;
	const char *modules[SV_MAX_MODULES];
	unsigned int nmodules;
	const char *cpu_model;		/* NULL or "host": pass the host through */
	const char *host_profile;	/* act as on that host (planning, tests) */
	struct force_config force;
	bool virt_msrs;			/* offer 0x50000000-2 (default on) */
	bool amd_arch_cap;		/* expose ARCH_CAPABILITIES on AMD models */
	bool cpuid_enforce;		/* refuse to start if KVM changes a security bit */
	uint64_t bus_lock_rate;		/* bus locks per second, 0 = off */
	bool bus_lock_optional;
	enum report_format report;
	const char *report_file;	/* NULL: stderr */
};

struct machine;

int machine_run(const struct vm_config *cfg);

#endif
