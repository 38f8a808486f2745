/* SPDX-License-Identifier: MIT */
#ifndef SV_VMM_MACHINE_PRIV_H
#define SV_VMM_MACHINE_PRIV_H

/* Internals shared by the files of src/vmm/ only. */

#include "vmm/machine.h"

#include "kvm/vm.h"

struct vcpu_state {
	struct machine *m;
	struct kvm_vcpu kv;
	pthread_t thread;
	atomic_bool thread_started;
	struct cpuid_set cpuid_want;	/* what we asked KVM to show */
	struct cpuid_set cpuid_got;	/* what KVM shows (read back) */
	struct msr_vcpu msr;
	/* SPEC_CTRL in hardware: -1 never tried, 0 KVM dropped it, 1 loaded. */
	int spec_ctrl_loaded;
	uint64_t spec_ctrl_checked_ns;	/* last read-back of the value in KVM */
	bool warned_cmd_msr;		/* one warning per vCPU, not one per guest write */
	uint64_t exits, io_exits, mmio_exits, msr_exits, unhandled_msr;
	uint64_t mmio_unclaimed;
	uint64_t bus_locks, bus_lock_throttles, bus_lock_throttled_ns;
};

struct machine {
	const struct vm_config *cfg;
	struct kvm_sys sys;
	struct kvm_vm vm;
	uint8_t *ram;
	uint64_t ram_size;
	struct cpu_model model;
	bool have_model;
	struct host_profile real_host;	/* probed from this host's KVM */
	struct host_profile plan_host;	/* --host-profile, else == real_host */
	struct msr_vm msr_vm;
	unsigned int nvcpus;
	struct vcpu_state vcpus[SV_MAX_VCPUS];
	struct devices *dev;
	struct buslock *buslock;

	atomic_bool stopping;
	atomic_int exit_status;		/* first stop reason wins */
	int stop_efd;			/* wakes the main loop */
	FILE *report_fp;		/* --report-file, opened before the guest runs */
	unsigned int cpuid_changes;	/* security bits KVM did not present */
};

/* Request a stop with `status` (the first request wins), kick every vCPU. */
void machine_stop(struct machine *m, int status);

/* vcpu_loop.c */
void *vcpu_thread(void *arg);
/* vcpu_boot.c */
struct boot_entry;
int vcpu_setup_boot(struct vcpu_state *v, const struct boot_entry *e);

/* report.c */
void machine_report(struct machine *m);

#endif
