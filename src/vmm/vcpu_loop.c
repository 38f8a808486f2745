/* SPDX-License-Identifier: MIT */
/* The vCPU thread: KVM_RUN and the dispatch of every exit reason. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "buslock/exit.h"
#include "util/log.h"
#include "vmm/buslock_vm.h"
#include "vmm/devices.h"
#include "vmm/machine_priv.h"

/* Push the value in force to KVM.  Where the host's KVM cannot hold
 * SPEC_CTRL (probed at start), the value is kept and reported as not
 * enforced in hardware rather than written to be silently dropped. */
static void vcpu_push_spec_ctrl(struct vcpu_state *v)
{
	struct machine *m = v->m;
	uint64_t eff = v->msr.spec_ctrl_eff;
	int rc;

	v->msr.dirty &= ~MSR_DIRTY_SPEC_CTRL;
	if (!m->real_host.caps.spec_ctrl_loadable) {
		v->spec_ctrl_loaded = 0;
		return;
	}
	/* One KVM_SET_MSRS: that this KVM keeps what it is given was checked
	 * once, at probe time (host_probe), and vcpu_check_spec_ctrl() reads
	 * it back now and then. */
	rc = kvm_vcpu_set_msr(&v->kv, MSR_IA32_SPEC_CTRL, eff);
	if (rc < 0)
		log_warn("vCPU %u: loading SPEC_CTRL 0x%llx: %s", v->kv.id,
			 (unsigned long long)eff, err_msg());
	v->spec_ctrl_loaded = rc == 0;
	v->spec_ctrl_checked_ns = clock_now_ns();
}

/*
 * KVM resets the guest's SPEC_CTRL on INIT (an AP's INIT/SIPI, or a guest
 * that INITs a CPU) without an exit to us, which would drop forced bits until
 * the guest next touches an intercepted MSR.  So on any exit, at most every
 * 10 ms, read the value back and load it again if it changed.  (The window
 * between an INIT and the next exit is a known gap: docs/guest-interface.md.)
 */
static void vcpu_check_spec_ctrl(struct vcpu_state *v)
{
	uint64_t now, cur;
	bool ok;

	if (!v->m->real_host.caps.spec_ctrl_loadable || !v->msr.spec_ctrl_eff)
		return;
	now = clock_now_ns();
	if (now - v->spec_ctrl_checked_ns < 10 * 1000 * 1000)
		return;
	v->spec_ctrl_checked_ns = now;
	if (kvm_vcpu_get_msr(&v->kv, MSR_IA32_SPEC_CTRL, &cur, &ok) == 0 && ok &&
	    cur != v->msr.spec_ctrl_eff)
		vcpu_push_spec_ctrl(v);
}

static void vcpu_handle_msr(struct vcpu_state *v, struct kvm_run *run, bool write)
{
	struct machine *m = v->m;
	uint32_t idx = run->msr.index;
	enum msr_status st;

	v->msr_exits++;
	if (run->msr.reason != KVM_MSR_EXIT_REASON_FILTER) {
		/* An MSR KVM does not know or refused (not one we filter): #GP,
		 * as KVM would, and counted.  Never let the layer answer it. */
		v->unhandled_msr++;
		log_debug("vCPU %u: %s of MSR 0x%x (KVM exit reason %u): #GP", v->kv.id,
			  write ? "WRMSR" : "RDMSR", idx, run->msr.reason);
		run->msr.error = 1;
		return;
	}
	if (write) {
		st = msr_write(&m->msr_vm, &v->msr, idx, run->msr.data, MSR_GUEST);
	} else {
		uint64_t val = 0;

		st = msr_read(&m->msr_vm, &v->msr, idx, &val, MSR_GUEST);
		if (st == MSR_OK)
			run->msr.data = val;
	}
	if (st == MSR_UNHANDLED) {
		v->unhandled_msr++;
		log_debug("vCPU %u: %s of MSR 0x%x not owned by the MSR layer: #GP", v->kv.id,
			  write ? "WRMSR" : "RDMSR", idx);
	} else if (st == MSR_GP) {
		log_debug("vCPU %u: #GP: %s", v->kv.id, err_msg());
	}
	run->msr.error = st != MSR_OK;
	if (v->msr.dirty & MSR_DIRTY_SPEC_CTRL)
		vcpu_push_spec_ctrl(v);
	/* Command MSRs carry no state: once the rules accept a non-zero write,
	 * KVM performs it on this CPU (IBPB, L1D flush) by a host write. */
	if (write && st == MSR_OK && run->msr.data &&
	    (idx == MSR_IA32_PRED_CMD || idx == MSR_IA32_FLUSH_CMD) &&
	    kvm_vcpu_set_msr(&v->kv, idx, run->msr.data) < 0 && !v->warned_cmd_msr) {
		v->warned_cmd_msr = true;	/* a guest must not flood the log */
		log_warn("vCPU %u: %s (further failures not reported)", v->kv.id, err_msg());
	}
	/* CET state is ours only where KVM cannot hold it (machine.c filters
	 * the CET MSRs only then): nothing to push. */
	v->msr.dirty &= ~MSR_DIRTY_CET;
}

static void vcpu_handle_io(struct vcpu_state *v, struct kvm_run *run)
{
	uint8_t *p = (uint8_t *)run + run->io.data_offset;
	bool out = run->io.direction == KVM_EXIT_IO_OUT;
	unsigned int size = run->io.size;

	v->io_exits++;
	for (uint32_t i = 0; i < run->io.count; i++, p += size) {
		uint32_t d = 0;

		if (out)
			memcpy(&d, p, size);
		devices_pio(v->m->dev, run->io.port, size, out, &d);
		if (!out)
			memcpy(p, &d, size);
	}
}

static void vcpu_handle_mmio(struct vcpu_state *v, struct kvm_run *run)
{
	/* No MMIO devices besides the in-kernel LAPIC/IOAPIC: unclaimed reads
	 * return all-ones like an empty bus, writes are dropped; both counted. */
	v->mmio_exits++;
	v->mmio_unclaimed++;
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
	log_debug("vCPU %u: unclaimed MMIO %s at 0x%llx (%u bytes)", v->kv.id,
		  run->mmio.is_write ? "write" : "read",
		  (unsigned long long)run->mmio.phys_addr, run->mmio.len);
}

static void vcpu_fail(struct vcpu_state *v, int status, const char *fmt, const char *what,
		      unsigned long long code)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, what, code);
	log_err("vCPU %u: %s", v->kv.id, msg);
	kvm_vcpu_dump(&v->kv, stderr);
	machine_stop(v->m, status);
}

/* Returns false when the vCPU must stop. */
static bool vcpu_handle_exit(struct vcpu_state *v)
{
	struct kvm_run *run = v->kv.run;

	v->exits++;
	/* A bus lock may ride on any exit (§5.1); count it first. */
	if (buslock_exit_check(run))
		buslock_vm_exit(v);
	vcpu_check_spec_ctrl(v);
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		vcpu_handle_io(v, run);
		return true;
	case KVM_EXIT_MMIO:
		vcpu_handle_mmio(v, run);
		return true;
	case KVM_EXIT_X86_RDMSR:
		vcpu_handle_msr(v, run, false);
		return true;
	case KVM_EXIT_X86_WRMSR:
		vcpu_handle_msr(v, run, true);
		return true;
	case KVM_EXIT_X86_BUS_LOCK:
	case KVM_EXIT_INTR:
		return true;
	case KVM_EXIT_HLT:
		/* Only without an in-kernel LAPIC; treat as power-off. */
		log_info("vCPU %u halted", v->kv.id);
		machine_stop(v->m, SV_EXIT_OK);
		return false;
	case KVM_EXIT_SHUTDOWN:
		log_err("vCPU %u: guest triple fault (KVM_EXIT_SHUTDOWN); stopping the VM", v->kv.id);
		if (log_verbose)
			kvm_vcpu_dump(&v->kv, stderr);
		machine_stop(v->m, SV_EXIT_TRIPLE_FAULT);
		return false;
	case KVM_EXIT_SYSTEM_EVENT:
		log_info("vCPU %u: system event %u: stopping", v->kv.id, run->system_event.type);
		machine_stop(v->m, run->system_event.type == KVM_SYSTEM_EVENT_CRASH ?
			     SV_EXIT_VCPU_FAILED : SV_EXIT_OK);
		return false;
	case KVM_EXIT_FAIL_ENTRY:
		vcpu_fail(v, SV_EXIT_VCPU_FAILED, "%s, hardware reason 0x%llx", "VM entry failed",
			  (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		return false;
	case KVM_EXIT_INTERNAL_ERROR:
		vcpu_fail(v, SV_EXIT_VCPU_FAILED, "%s, suberror %llu", "KVM internal error",
			  run->internal.suberror);
		return false;
	default:
		vcpu_fail(v, SV_EXIT_VCPU_FAILED, "%s %llu", "unhandled KVM exit reason",
			  run->exit_reason);
		return false;
	}
}

void *vcpu_thread(void *arg)
{
	struct vcpu_state *v = arg;
	struct machine *m = v->m;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	/* Forced bits are in force from the first instruction, not from the
	 * guest's first MSR access. */
	if (v->msr.dirty & MSR_DIRTY_SPEC_CTRL)
		vcpu_push_spec_ctrl(v);
	while (!atomic_load(&m->stopping)) {
		int rc = kvm_vcpu_run(&v->kv);

		if (rc == -EINTR || rc == -EAGAIN) {
			v->kv.run->immediate_exit = 0;
			continue;
		}
		if (rc < 0) {
			log_err("%s", err_msg());
			machine_stop(m, SV_EXIT_VCPU_FAILED);
			break;
		}
		if (!vcpu_handle_exit(v))
			break;
	}
	return NULL;
}
