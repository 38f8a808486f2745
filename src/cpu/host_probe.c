/* SPDX-License-Identifier: MIT */
#include "cpu/host_probe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cpu/cpuid_diff.h"
#include "kvm/vcpu.h"
#include "kvm/vm.h"
#include "msr/msr_index.h"
#include "util/err.h"

#ifndef KVM_BUS_LOCK_DETECTION_EXIT
#define KVM_BUS_LOCK_DETECTION_EXIT (1 << 1)
#endif

static void probe_microcode(struct host_profile *hp)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long v;

		if (sscanf(line, "microcode : %llx", &v) == 1) {
			hp->microcode = v;
			hp->microcode_known = true;
			break;
		}
	}
	fclose(f);
}

static int probe_feature_msrs(const struct kvm_sys *k, struct host_profile *hp)
{
	uint32_t idx[HOST_MAX_FEATURE_MSRS];
	unsigned int n = 0;
	int rc = kvm_sys_feature_msr_list(k, idx, HOST_MAX_FEATURE_MSRS, &n);

	if (rc < 0)
		return rc;
	hp->nmsrs = 0;
	for (unsigned int i = 0; i < n; i++) {
		uint64_t v;
		bool ok;

		if (kvm_sys_feature_msr(k, idx[i], &v, &ok) < 0 || !ok)
			continue;
		hp->msrs[hp->nmsrs++] = (struct host_msr) { .index = idx[i], .value = v };
		if (idx[i] == MSR_IA32_ARCH_CAPABILITIES)
			hp->arch_cap = v;
	}
	return 0;
}

/*
 * Which security bits KVM will not present as asked: set every security bit,
 * then clear every one, on a scratch vCPU, and read CPUID back each time.
 * Both directions matter: a KVM that forces host leaf 7.0 onto the guest both
 * hides bits a model wants and shows bits a model hides.
 */
static int probe_presentable(struct kvm_vcpu *v, const struct cpuid_set *supported,
			     struct host_profile *hp)
{
	static struct cpuid_set want, got;

	hp->nunpresentable = 0;
	for (int pass = 0; pass < 2; pass++) {
		unsigned int n;
		int rc;

		want = *supported;
		for (int f = 0; f < F_COUNT; f++)
			if (cpu_features[f].security)
				cpuid_set_feature(&want, (enum cpu_feature)f, pass == 0);
		rc = kvm_vcpu_set_cpuid(v, &want);
		if (rc < 0)
			return rc;
		rc = kvm_vcpu_get_cpuid(v, &got);
		if (rc < 0)
			return rc;
		n = cpuid_diff_security(&want, &got, hp->unpresentable + hp->nunpresentable,
					HOST_MAX_UNPRESENTABLE - hp->nunpresentable);
		hp->nunpresentable += n < HOST_MAX_UNPRESENTABLE - hp->nunpresentable ?
				      n : HOST_MAX_UNPRESENTABLE - hp->nunpresentable;
	}
	/* Leave the vCPU with what KVM supports, for the MSR probes below. */
	return kvm_vcpu_set_cpuid(v, supported);
}

static int probe_loadable(const struct kvm_sys *k, struct host_profile *hp)
{
	struct kvm_vm vm = { .fd = -1 };
	struct kvm_vcpu v = { .fd = -1 };
	int rc;

	rc = kvm_vm_create(k, &vm);
	if (rc < 0)
		return rc;
	rc = kvm_vcpu_create(&vm, 0, &v);
	if (rc < 0)
		goto out;
	rc = probe_presentable(&v, &hp->cpuid, hp);
	if (rc < 0)
		goto out;
	/* SPEC_CTRL: a KVM that lacks it may accept the write and read back 0. */
	hp->caps.spec_ctrl_loadable = kvm_vcpu_load_msr(&v, MSR_IA32_SPEC_CTRL, 1) == 1;
	hp->caps.arch_cap_settable = kvm_vcpu_load_msr(&v, MSR_IA32_ARCH_CAPABILITIES,
						      hp->arch_cap ^ ARCH_CAP_PSCHANGE_MC_NO) == 1;
	/* CET state can be handed to KVM only where KVM offers SHSTK or IBT (§4.1). */
	hp->caps.cet_loadable = (cpuid_has(&hp->cpuid, F_SHSTK) || cpuid_has(&hp->cpuid, F_IBT)) &&
				kvm_vcpu_load_msr(&v, MSR_IA32_U_CET, 0) == 1;
	rc = 0;
out:
	kvm_vcpu_destroy(&v);
	kvm_vm_destroy(&vm);
	return rc;
}

int host_probe(const struct kvm_sys *k, struct host_profile *hp)
{
	struct utsname u;
	int rc;

	memset(hp, 0, sizeof(*hp));
	if (gethostname(hp->name, sizeof(hp->name) - 1) < 0)
		snprintf(hp->name, sizeof(hp->name), "localhost");
	if (uname(&u) == 0)
		snprintf(hp->kernel, sizeof(hp->kernel), "%s", u.release);
	probe_microcode(hp);
	rc = kvm_sys_supported_cpuid(k, &hp->cpuid);
	if (rc < 0)
		return rc;
	hp->vendor = cpuid_vendor(&hp->cpuid);
	rc = probe_feature_msrs(k, hp);
	if (rc < 0)
		return rc;
	hp->caps.msr_filter = kvm_sys_check_cap(k, KVM_CAP_X86_MSR_FILTER) > 0;
	hp->caps.user_space_msr = kvm_sys_check_cap(k, KVM_CAP_X86_USER_SPACE_MSR) > 0;
	hp->caps.bus_lock_exit = (kvm_sys_check_cap(k, KVM_CAP_X86_BUS_LOCK_EXIT) &
				  KVM_BUS_LOCK_DETECTION_EXIT) != 0;
	return probe_loadable(k, hp);
}
