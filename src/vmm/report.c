/* SPDX-License-Identifier: MIT */
/* `run --report text|json`: per-vCPU security-control state at exit. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "util/log.h"
#include "vmm/buslock_vm.h"
#include "vmm/machine_priv.h"

static void bits_str(uint64_t v, char *buf, size_t len)
{
	spec_ctrl_bits_format(v, buf, len);
	if (!strcmp(buf, "0"))
		snprintf(buf, len, "none");
}

static const char *mitigations_str(uint64_t ctrl)
{
	switch (ctrl & (MITI_CTRL_BHB_CLEAR_SEQ_S_USED | MITI_CTRL_RETPOLINE_S_USED)) {
	case MITI_CTRL_BHB_CLEAR_SEQ_S_USED: return "bhb-clear-loop";
	case MITI_CTRL_RETPOLINE_S_USED: return "retpoline";
	case MITI_CTRL_BHB_CLEAR_SEQ_S_USED | MITI_CTRL_RETPOLINE_S_USED: return "retpoline,bhb-clear-loop";
	default: return "none";
	}
}

static const char *hw_state(const struct machine *m, const struct vcpu_state *v)
{
	if (!m->real_host.caps.spec_ctrl_loadable)
		return "not enforced in hardware on this host (KVM cannot hold IA32_SPEC_CTRL)";
	switch (v->spec_ctrl_loaded) {
	case 1: return "loaded (read back from KVM at exit)";
	case 0: return "not loaded: KVM did not hold the value in force";
	default: return "nothing loaded yet (guest never wrote SPEC_CTRL)";
	}
}

/* Bus-lock counts mean something only where KVM's bus-lock exits are on. */
static const char *buslock_state(const struct machine *m)
{
	if (!m->cfg->bus_lock_rate)
		return "off";
	return m->buslock ? "on" : "unavailable";
}

static void report_text(struct machine *m, FILE *f)
{
	const struct msr_vm *mv = &m->msr_vm;

	fprintf(f, "=== specvisor security-control report ===\n");
	fprintf(f, "model: %s   host facts from: %s   policy: %s%s\n", m->model.name,
		m->cfg->host_profile ? m->cfg->host_profile : "this host",
		policy_name(mv->force.policy), mv->force.explicit_set ? " + explicit force" : "");
	fprintf(f, "virtual MSRs: %s   ARCH_CAPABILITIES: %s   CET state: %s\n",
		mv->virt_msrs ? (mv->hv_leaf ? "on (CPUID 0x40000100)" : "on") : "off",
		mv->arch_cap_exposed ? "exposed" : "hidden",
		m->real_host.caps.cet_loadable ? "loaded into KVM" : "emulated only (host KVM lacks CET)");
	if (m->cpuid_changes)
		fprintf(f, "CPUID: this host's KVM changed %u security bit(s) of the model (see warnings)\n",
			m->cpuid_changes);
	for (unsigned int i = 0; i < m->nvcpus; i++) {
		const struct vcpu_state *v = &m->vcpus[i];
		const struct msr_vcpu *s = &v->msr;
		char g[128], e[128], fm[128];

		bits_str(s->spec_ctrl, g, sizeof(g));
		bits_str(s->spec_ctrl_eff, e, sizeof(e));
		bits_str(s->forcing.mask, fm, sizeof(fm));
		fprintf(f, "vCPU %u:\n", i);
		fprintf(f, "  guest SPEC_CTRL:    0x%llx (%s)\n", (unsigned long long)s->spec_ctrl, g);
		fprintf(f, "  value in force:     0x%llx (%s)\n", (unsigned long long)s->spec_ctrl_eff, e);
		fprintf(f, "  forced mask/value:  0x%llx/0x%llx (%s)\n",
			(unsigned long long)s->forcing.mask, (unsigned long long)s->forcing.value, fm);
		for (unsigned int r = 0; r < s->forcing.nreasons; r++)
			fprintf(f, "    why: %s\n", s->forcing.reasons[r].text);
		fprintf(f, "  reported mitigations: %s (MITIGATION_CTRL 0x%llx)\n",
			mitigations_str(s->miti_ctrl), (unsigned long long)s->miti_ctrl);
		fprintf(f, "  hardware:           %s\n", hw_state(m, v));
		fprintf(f, "  MSR exits: %llu (reads %llu, writes %llu, #GP %llu, unknown MSRs %llu)\n",
			(unsigned long long)v->msr_exits, (unsigned long long)s->nreads,
			(unsigned long long)s->nwrites, (unsigned long long)s->ngp,
			(unsigned long long)v->unhandled_msr);
		fprintf(f, "  exits: %llu (I/O %llu, MMIO %llu, unclaimed MMIO %llu)\n",
			(unsigned long long)v->exits, (unsigned long long)v->io_exits,
			(unsigned long long)v->mmio_exits, (unsigned long long)v->mmio_unclaimed);
		if (strcmp(buslock_state(m), "on"))
			fprintf(f, "  bus locks: not detected (bus-lock exits %s)\n", buslock_state(m));
		else
			fprintf(f, "  bus locks: %llu (throttled %llu times, %.3f ms)\n",
				(unsigned long long)v->bus_locks, (unsigned long long)v->bus_lock_throttles,
				(double)v->bus_lock_throttled_ns / 1e6);
	}
}

static json_t *report_json(struct machine *m)
{
	const struct msr_vm *mv = &m->msr_vm;
	json_t *root = json_object(), *vcpus = json_array();
	char hex[32];

	json_object_set_new(root, "model", json_string(m->model.name));
	json_object_set_new(root, "host_profile", m->cfg->host_profile ?
			    json_string(m->cfg->host_profile) : json_null());
	json_object_set_new(root, "policy", json_string(policy_name(mv->force.policy)));
	json_object_set_new(root, "virt_msrs", json_boolean(mv->virt_msrs));
	json_object_set_new(root, "hv_leaf", json_boolean(mv->hv_leaf));
	json_object_set_new(root, "arch_capabilities_exposed", json_boolean(mv->arch_cap_exposed));
	json_object_set_new(root, "spec_ctrl_loadable", json_boolean(m->real_host.caps.spec_ctrl_loadable));
	json_object_set_new(root, "cet_loadable", json_boolean(m->real_host.caps.cet_loadable));
	json_object_set_new(root, "cpuid_changes", json_integer(m->cpuid_changes));
	json_object_set_new(root, "bus_lock_exits", json_string(buslock_state(m)));
	for (unsigned int i = 0; i < m->nvcpus; i++) {
		const struct vcpu_state *v = &m->vcpus[i];
		const struct msr_vcpu *s = &v->msr;
		json_t *o = json_object(), *why = json_array();

#define HEX(k, val) do { snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)(val)); \
			json_object_set_new(o, k, json_string(hex)); } while (0)
		json_object_set_new(o, "vcpu", json_integer(i));
		HEX("spec_ctrl", s->spec_ctrl);
		HEX("spec_ctrl_in_force", s->spec_ctrl_eff);
		HEX("forced_mask", s->forcing.mask);
		HEX("forced_value", s->forcing.value);
		HEX("mitigation_ctrl", s->miti_ctrl);
#undef HEX
		for (unsigned int r = 0; r < s->forcing.nreasons; r++)
			json_array_append_new(why, json_string(s->forcing.reasons[r].text));
		json_object_set_new(o, "forced_why", why);
		json_object_set_new(o, "reported_mitigations", json_string(mitigations_str(s->miti_ctrl)));
		json_object_set_new(o, "hardware", json_string(hw_state(m, v)));
		json_object_set_new(o, "loaded", json_boolean(v->spec_ctrl_loaded == 1));
		json_object_set_new(o, "msr_exits", json_integer((json_int_t)v->msr_exits));
		json_object_set_new(o, "msr_reads", json_integer((json_int_t)s->nreads));
		json_object_set_new(o, "msr_writes", json_integer((json_int_t)s->nwrites));
		json_object_set_new(o, "io_exits", json_integer((json_int_t)v->io_exits));
		json_object_set_new(o, "mmio_exits", json_integer((json_int_t)v->mmio_exits));
		json_object_set_new(o, "msr_gp", json_integer((json_int_t)s->ngp));
		json_object_set_new(o, "unknown_msrs", json_integer((json_int_t)v->unhandled_msr));
		json_object_set_new(o, "exits", json_integer((json_int_t)v->exits));
		json_object_set_new(o, "mmio_unclaimed", json_integer((json_int_t)v->mmio_unclaimed));
		json_object_set_new(o, "bus_locks", json_integer((json_int_t)v->bus_locks));
		json_object_set_new(o, "bus_lock_throttles", json_integer((json_int_t)v->bus_lock_throttles));
		json_object_set_new(o, "bus_lock_throttled_ns", json_integer((json_int_t)v->bus_lock_throttled_ns));
		json_array_append_new(vcpus, o);
	}
	json_object_set_new(root, "vcpus", vcpus);
	return root;
}

void machine_report(struct machine *m)
{
	const struct vm_config *c = m->cfg;
	FILE *f = m->report_fp ? m->report_fp : stderr;

	if (c->report == REPORT_NONE)
		return;
	if (c->report == REPORT_TEXT) {
		report_text(m, f);
	} else {
		json_t *j = report_json(m);

		json_dumpf(j, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', f);
		json_decref(j);
	}
	fflush(f);
}
