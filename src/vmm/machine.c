/* SPDX-License-Identifier: MIT */
/*
 * Building a VM from a vm_config, running it, stopping it.  Order matters:
 * KVM objects -> RAM -> irqchip -> MSR filter -> CPU model and host facts ->
 * vCPUs (CPUID set, then read back: the MSR layer is driven by what the guest
 * really sees) -> devices -> guest image -> threads.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "boot/loader.h"
#include "cpu/cpuid_diff.h"
#include "cpu/guest_cpuid.h"
#include "cpu/host_json.h"
#include "cpu/host_probe.h"
#include "cpu/model_json.h"
#include "cpu/pool.h"
#include "util/log.h"
#include "util/thread.h"
#include "vmm/buslock_vm.h"
#include "vmm/devices.h"
#include "vmm/machine_priv.h"

static void machine_kick(struct vcpu_state *v);

static void kick_handler(int sig)
{
	(void)sig;	/* only there to make a blocking call return EINTR */
}

void machine_stop(struct machine *m, int status)
{
	int expected = -1;
	uint64_t one = 1;

	atomic_compare_exchange_strong(&m->exit_status, &expected, status);
	atomic_store(&m->stopping, true);
	for (unsigned int i = 0; i < m->nvcpus; i++)
		machine_kick(&m->vcpus[i]);
	buslock_vm_wake(m->buslock);
	if (m->stop_efd >= 0 && write(m->stop_efd, &one, sizeof(one)) < 0)
		(void)0;	/* the counter cannot overflow here */
}

static int machine_alloc_ram(struct machine *m)
{
	m->ram_size = m->cfg->mem_size;
	/* MAP_NORESERVE: a guest touching little RAM costs little. */
	m->ram = mmap(NULL, m->ram_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (m->ram == MAP_FAILED) {
		m->ram = NULL;
		return err_set(-errno, "cannot allocate %llu MiB of guest RAM: %s",
			       (unsigned long long)(m->ram_size >> 20), strerror(errno));
	}
	return 0;
}

/* The files first (--cpu-model, --host-profile), so that a bad file is
 * reported as such, before anything asks KVM. */
static int machine_load_files(struct machine *m)
{
	const struct vm_config *c = m->cfg;
	int rc;

	if (c->host_profile) {
		rc = host_profile_load(c->host_profile, &m->plan_host);
		if (rc < 0)
			return err_prefix(rc, "--host-profile");
	}
	if (c->cpu_model && strcmp(c->cpu_model, "host")) {
		rc = model_load(c->cpu_model, &m->model);
		if (rc < 0)
			return err_prefix(rc, "--cpu-model");
		m->have_model = true;
	}
	return 0;
}

/*
 * Can this host's KVM give the guest the model?  The same check that gates a
 * pool (pool_check); a warning with the count, a refusal with
 * --cpuid-enforce (like QEMU's enforce).
 */
static int machine_check_model(struct machine *m)
{
	struct pool_reasons *r;
	int n;

	if (!m->have_model)
		return 0;
	r = calloc(1, sizeof(*r));
	if (!r)
		return err_set(-ENOMEM, "out of memory");
	n = pool_check(&m->model, &m->real_host, r);
	if (n > 0) {
		if (m->cfg->cpuid_enforce) {
			for (unsigned int i = 0; i < r->n; i++)
				log_err("model %s on this host: %s", m->model.name, r->r[i].text);
			n = err_set(-ENOTSUP, "--cpuid-enforce: this host's KVM cannot run model %s "
				    "as defined (%d reasons above)", m->model.name, n);
		} else {
			log_warn("this host's KVM cannot give model %s everything it defines (%d "
				 "differences, first: %s); see: specvisor host probe --output h.json; "
				 "specvisor pool check %s h.json", m->model.name, n, r->r[0].text,
				 m->model.name);
			n = 0;
		}
	}
	free(r);
	return n;
}

/* The host facts the policy acts on: this host's, or --host-profile's. */
static int machine_load_cpu(struct machine *m)
{
	const struct vm_config *c = m->cfg;
	int rc;

	rc = host_probe(&m->sys, &m->real_host);
	if (rc < 0)
		return err_prefix(rc, "probing this host");
	if (c->host_profile)
		log_info("acting as on host '%s' (%s); what this host cannot load is reported as such",
			 m->plan_host.name, c->host_profile);
	else
		m->plan_host = m->real_host;
	if (!m->have_model) {
		rc = model_from_host(&m->plan_host, &m->model);
		if (rc < 0)
			return rc;
	}
	rc = machine_check_model(m);
	if (rc < 0)
		return rc;
	host_facts_from_profile(&m->plan_host, &m->msr_vm.host);
	m->msr_vm.force = c->force;
	return force_config_check(&c->force, &m->msr_vm.host);
}

/* Set each vCPU's CPUID, read it back, report what KVM changed. */
static int machine_setup_cpuid(struct machine *m)
{
	const struct vm_config *c = m->cfg;
	static struct host_cpuid_change ch[64];

	for (unsigned int i = 0; i < m->nvcpus; i++) {
		struct vcpu_state *v = &m->vcpus[i];
		struct guest_cpuid_opts o = {
			.vcpu_id = i, .nvcpus = m->nvcpus, .virt_msrs = c->virt_msrs,
			.amd_arch_cap = c->amd_arch_cap,
		};
		unsigned int n;
		int rc;

		rc = guest_cpuid_build(m->have_model ? &m->model : NULL, &m->real_host.cpuid, &o,
				       &v->cpuid_want);
		if (rc < 0)
			return err_prefix(rc, "building the guest CPUID");
		rc = kvm_vcpu_set_cpuid(&v->kv, &v->cpuid_want);
		if (rc < 0)
			return err_prefix(rc, "vCPU %u", i);
		rc = kvm_vcpu_get_cpuid(&v->kv, &v->cpuid_got);
		if (rc < 0)
			return err_prefix(rc, "vCPU %u", i);
		if (i)
			continue;
		n = cpuid_diff_security(&v->cpuid_want, &v->cpuid_got, ch, 64);
		m->cpuid_changes = n;
		for (unsigned int j = 0; j < n && j < 64; j++) {
			char line[160];

			cpuid_change_format(&ch[j], line, sizeof(line));
			if (c->cpuid_enforce)
				log_err("this host's KVM changed %s", line);
			else
				log_warn("this host's KVM changed %s", line);
		}
		if (n && c->cpuid_enforce)
			return err_set(-ENOTSUP, "--cpuid-enforce: KVM on this host does not present "
				       "%u security CPUID bit(s) of the model as asked (listed above)", n);
	}
	return 0;
}

/* The MSR layer is judged against vCPU 0's read-back CPUID (all vCPUs get the
 * same model; only APIC IDs differ). */
static void machine_setup_msr_layer(struct machine *m)
{
	struct msr_vm *mv = &m->msr_vm;
	const struct cpuid_set *seen = &m->vcpus[0].cpuid_got;

	mv->cpuid = *seen;
	mv->arch_cap = m->model.arch_cap;
	/* The AMD opt-in decides what we ask KVM to show (guest_cpuid_build); if
	 * KVM shows CPUID.7.0:EDX[29] anyway, the MSR must answer, or the guest
	 * would see an enumerated MSR that faults.  The change is reported. */
	mv->arch_cap_exposed = cpuid_has(seen, F_ARCH_CAPABILITIES);
	mv->virt_msrs = m->cfg->virt_msrs;
	mv->hv_leaf = m->cfg->virt_msrs &&
		      (cpuid_reg(seen, SPECVISOR_CPUID_FEATURES, 0, CPUID_EAX) & SPECVISOR_FEAT_VIRT_MITIG_MSRS);
	msr_vm_init(mv);
	for (unsigned int i = 0; i < m->nvcpus; i++) {
		struct vcpu_state *v = &m->vcpus[i];

		msr_vcpu_init(mv, &v->msr);
		v->spec_ctrl_loaded = -1;
	}
}

/* Deny (i.e. take to userspace) every MSR the MSR layer owns, except the CET
 * state where this host's KVM holds it: the guest changes SSP and U_CET
 * without exits (calls, XRSTORS), so only KVM has the current values, and KVM
 * applies the same checks against the same guest CPUID (reference §4.3). */
static int machine_set_msr_filter(struct machine *m)
{
	uint32_t idx[KVM_MSR_FILTER_MAX_RANGES * 8];
	unsigned int n = 0;

	if (msr_layer_count > sizeof(idx) / sizeof(idx[0]))
		return err_set(-E2BIG, "MSR filter: %u MSRs do not fit", msr_layer_count);
	for (unsigned int i = 0; i < msr_layer_count; i++) {
		uint32_t x = msr_layer_indices[i];
		bool cet = x == MSR_IA32_XSS || (x >= MSR_IA32_U_CET && x <= MSR_IA32_INT_SSP_TAB);

		if (!(cet && m->real_host.caps.cet_loadable))
			idx[n++] = x;
	}
	return kvm_vm_set_msr_filter(&m->vm, idx, n);
}

static int machine_setup(struct machine *m)
{
	const struct vm_config *c = m->cfg;
	struct boot_params bp = {
		.kernel_path = c->kernel, .cmdline = c->cmdline,
		.modules = c->modules, .nmodules = c->nmodules,
	};
	struct boot_entry entry;
	struct guest_mem mem;
	int rc;

	if (c->report_file && !(m->report_fp = fopen(c->report_file, "w")))
		return err_set(-errno, "--report-file %s: %s", c->report_file, strerror(errno));
	/* The guest image first: a bad file is reported as such even on a
	 * machine without KVM. */
	rc = machine_alloc_ram(m);
	if (rc < 0)
		return rc;
	mem = (struct guest_mem) { .host = m->ram, .size = m->ram_size };
	rc = boot_load(&mem, &bp, &entry);
	if (rc < 0)
		return rc;
	rc = machine_load_files(m);
	if (rc < 0)
		return rc;
	rc = kvm_sys_open(&m->sys, c->kvm_path);
	if (rc < 0)
		return rc;
	rc = kvm_vm_create(&m->sys, &m->vm);
	if (rc < 0)
		return rc;
	rc = kvm_vm_add_memory(&m->vm, 0, 0, m->ram_size, m->ram);
	if (rc < 0)
		return rc;
	rc = kvm_vm_create_irqchip(&m->vm);
	if (rc < 0)
		return rc;
	rc = buslock_vm_setup(m);
	if (rc < 0)
		return rc;
	rc = machine_load_cpu(m);
	if (rc < 0)
		return rc;
	rc = machine_set_msr_filter(m);
	if (rc < 0)
		return err_prefix(rc, "installing the MSR filter");
	for (unsigned int i = 0; i < m->nvcpus; i++) {
		m->vcpus[i].m = m;
		rc = kvm_vcpu_create(&m->vm, i, &m->vcpus[i].kv);
		if (rc < 0)
			return rc;
	}
	rc = machine_setup_cpuid(m);
	if (rc < 0)
		return rc;
	machine_setup_msr_layer(m);
	rc = devices_setup(m);
	if (rc < 0)
		return rc;
	log_debug("guest: %s loaded as %s, entry 0x%llx", c->kernel, entry.format,
		  (unsigned long long)entry.rip);
	return vcpu_setup_boot(&m->vcpus[0], &entry);
}

/* The main thread: signals, console input and stop requests. */
static void machine_wait(struct machine *m, int sfd)
{
	bool stdin_open = true;

	while (!atomic_load(&m->stopping)) {
		size_t room = devices_console_room(m->dev);
		struct pollfd p[3] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = m->stop_efd, .events = POLLIN },
			/* Back-pressure: leave input in the pipe while COM1 is full. */
			{ .fd = stdin_open && room ? STDIN_FILENO : -1, .events = POLLIN },
		};

		/* A full COM1 drains as the guest reads: look again shortly. */
		if (poll(p, 3, stdin_open && !room ? 10 : -1) < 0) {
			if (errno == EINTR)
				continue;
			log_err("poll: %s", strerror(errno));
			machine_stop(m, SV_EXIT_ERROR);
			break;
		}
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
				log_info("received signal %u, stopping the guest", si.ssi_signo);
				machine_stop(m, SV_EXIT_SIGNAL_BASE + (int)si.ssi_signo);
			}
		}
		if (p[2].revents & (POLLIN | POLLHUP | POLLERR)) {
			uint8_t buf[256];
			ssize_t n = read(STDIN_FILENO, buf, room < sizeof(buf) ? room : sizeof(buf));

			if (n > 0)
				devices_console_input(m->dev, buf, (size_t)n);
			else
				stdin_open = false;
		}
	}
}

static void machine_kick(struct vcpu_state *v)
{
	if (v->kv.run)
		v->kv.run->immediate_exit = 1;
	if (atomic_load(&v->thread_started))
		pthread_kill(v->thread, SIGUSR1);
}

static void machine_kick_arg(void *arg)
{
	machine_kick(arg);
}

/* Join every vCPU thread, kicking again every 100 ms: a kick is a signal, and
 * a thread can be between KVM_RUNs when it arrives (or, under valgrind, not
 * be interruptible at that moment). */
static void machine_join(struct machine *m)
{
	for (unsigned int i = 0; i < m->nvcpus; i++)
		if (atomic_load(&m->vcpus[i].thread_started))
			thread_join_kick(m->vcpus[i].thread, 0, machine_kick_arg, &m->vcpus[i]);
}

/* "loaded" in the report means: KVM held the value in force when the guest
 * stopped (read back), not merely that it was once written. */
static void machine_verify_spec_ctrl(struct machine *m)
{
	if (!m->real_host.caps.spec_ctrl_loadable)
		return;
	for (unsigned int i = 0; i < m->nvcpus; i++) {
		struct vcpu_state *v = &m->vcpus[i];
		uint64_t cur;
		bool ok;

		if (v->spec_ctrl_loaded < 0 && !v->msr.spec_ctrl_eff)
			continue;
		if (kvm_vcpu_get_msr(&v->kv, MSR_IA32_SPEC_CTRL, &cur, &ok) == 0)
			v->spec_ctrl_loaded = ok && cur == v->msr.spec_ctrl_eff;
	}
}

static void machine_teardown(struct machine *m)
{
	for (unsigned int i = 0; i < m->nvcpus; i++)
		kvm_vcpu_destroy(&m->vcpus[i].kv);
	devices_teardown(m->dev);
	buslock_vm_teardown(m->buslock);
	if (m->ram)
		munmap(m->ram, m->ram_size);
	kvm_vm_destroy(&m->vm);
	kvm_sys_close(&m->sys);
	if (m->stop_efd >= 0)
		close(m->stop_efd);
	if (m->report_fp)
		fclose(m->report_fp);
}

int machine_run(const struct vm_config *cfg)
{
	struct machine *m = calloc(1, sizeof(*m));
	struct sigaction kick = { .sa_handler = kick_handler };
	sigset_t set, old;
	int sfd = -1, rc, status;

	if (!m) {
		log_err("out of memory");
		return SV_EXIT_ERROR;
	}
	m->cfg = cfg;
	m->nvcpus = cfg->nvcpus;
	m->sys.fd = m->vm.fd = -1;
	for (unsigned int i = 0; i < SV_MAX_VCPUS; i++)
		m->vcpus[i].kv.fd = -1;
	atomic_init(&m->exit_status, -1);

	/* Signals are taken by the main thread through a signalfd; the other
	 * threads inherit the blocked mask and only accept the SIGUSR1 kick,
	 * whose no-op handler makes a blocking call return EINTR. */
	sigaction(SIGUSR1, &kick, NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	sigdelset(&set, SIGUSR1);
	sfd = signalfd(-1, &set, SFD_CLOEXEC);
	m->stop_efd = eventfd(0, EFD_CLOEXEC);
	if (sfd < 0 || m->stop_efd < 0)
		rc = err_set(-errno, "%s: %s", sfd < 0 ? "signalfd" : "eventfd", strerror(errno));
	else
		rc = machine_setup(m);
	if (rc < 0) {
		log_err("%s", err_msg());
		status = SV_EXIT_ERROR;
		goto out;
	}
	for (unsigned int i = 0; i < m->nvcpus; i++) {
		struct vcpu_state *v = &m->vcpus[i];

		rc = pthread_create(&v->thread, NULL, vcpu_thread, v);
		if (rc) {
			log_err("creating the thread of vCPU %u: %s", i, strerror(rc));
			machine_stop(m, SV_EXIT_ERROR);
			break;
		}
		atomic_store(&v->thread_started, true);
	}
	machine_wait(m, sfd);
	machine_join(m);
	devices_quiesce(m->dev);
	machine_verify_spec_ctrl(m);
	status = atomic_load(&m->exit_status);
	machine_report(m);
out:
	machine_teardown(m);
	if (sfd >= 0)
		close(sfd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	free(m);
	return status;
}
