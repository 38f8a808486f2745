/* SPDX-License-Identifier: MIT */
#include "kvm/kvm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "util/err.h"

int kvm_ioctl_named(int fd, unsigned long req, void *arg, const char *name)
{
	int rc;

	do {
		rc = ioctl(fd, req, arg);
	} while (rc < 0 && errno == EINTR);
	if (rc < 0)
		return err_set(-errno, "%s: %s", name, strerror(errno));
	return rc;
}

/* Capabilities without which specvisor cannot do its job (PRODUCT.md): the
 * MSR layer needs the filter and userspace exits, devices need the irqchip. */
static const struct {
	long cap;
	const char *name;
} required_caps[] = {
	{ KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP" },
	{ KVM_CAP_PIT2, "KVM_CAP_PIT2" },
	{ KVM_CAP_USER_MEMORY, "KVM_CAP_USER_MEMORY" },
	{ KVM_CAP_EXT_CPUID, "KVM_CAP_EXT_CPUID" },
	{ KVM_CAP_X86_USER_SPACE_MSR, "KVM_CAP_X86_USER_SPACE_MSR" },
	{ KVM_CAP_X86_MSR_FILTER, "KVM_CAP_X86_MSR_FILTER" },
	{ KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT" },
};

int kvm_sys_open(struct kvm_sys *k, const char *path)
{
	int v;

	k->fd = open(path, O_RDWR | O_CLOEXEC);
	if (k->fd < 0) {
		int e = errno;

		if (e == ENOENT)
			return err_set(-e, "%s does not exist: is KVM enabled (modprobe kvm_intel or kvm_amd) and is virtualization on in the firmware?", path);
		if (e == EACCES || e == EPERM)
			return err_set(-e, "%s: permission denied: run as root or join the group that owns it (usually 'kvm')", path);
		return err_set(-e, "open %s: %s", path, strerror(e));
	}
	v = kvm_ioctl(k->fd, KVM_GET_API_VERSION, 0);
	if (v < 0) {
		kvm_sys_close(k);
		return err_prefix(v, "%s is not a KVM device", path);
	}
	if (v != KVM_API_VERSION) {
		kvm_sys_close(k);
		return err_set(-EINVAL, "%s: KVM API version %d, specvisor needs %d", path, v, KVM_API_VERSION);
	}
	for (size_t i = 0; i < sizeof(required_caps) / sizeof(required_caps[0]); i++) {
		if (kvm_check_cap(k->fd, required_caps[i].cap) <= 0) {
			kvm_sys_close(k);
			return err_set(-ENOTSUP, "%s: required capability %s is missing (host kernel too old?)",
				       path, required_caps[i].name);
		}
	}
	k->vcpu_mmap_size = kvm_ioctl(k->fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (k->vcpu_mmap_size < 0) {
		kvm_sys_close(k);
		return k->vcpu_mmap_size;
	}
	return 0;
}

void kvm_sys_close(struct kvm_sys *k)
{
	if (k->fd >= 0)
		close(k->fd);
	k->fd = -1;
}

int kvm_check_cap(int fd, long cap)
{
	/* KVM_CHECK_EXTENSION fails only for a bad fd; "no" is 0. */
	int rc = ioctl(fd, KVM_CHECK_EXTENSION, cap);

	return rc < 0 ? 0 : rc;
}

int kvm_sys_check_cap(const struct kvm_sys *k, long cap)
{
	return kvm_check_cap(k->fd, cap);
}

struct kvm_cpuid2 *kvm_cpuid2_from_set(const struct cpuid_set *set)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + set->nent * sizeof(c->entries[0]));

	if (!c)
		return NULL;
	c->nent = set->nent;
	for (unsigned int i = 0; i < set->nent; i++) {
		const struct cpuid_entry *e = &set->ent[i];

		c->entries[i] = (struct kvm_cpuid_entry2) {
			.function = e->function, .index = e->index,
			.flags = (e->flags & CPUID_F_INDEXED) ? KVM_CPUID_FLAG_SIGNIFCANT_INDEX : 0,
			.eax = e->eax, .ebx = e->ebx, .ecx = e->ecx, .edx = e->edx,
		};
	}
	return c;
}

void kvm_cpuid2_to_set(const struct kvm_cpuid2 *c, struct cpuid_set *set)
{
	set->nent = 0;
	for (unsigned int i = 0; i < c->nent && set->nent < CPUID_MAX_ENTRIES; i++) {
		const struct kvm_cpuid_entry2 *k = &c->entries[i];

		set->ent[set->nent++] = (struct cpuid_entry) {
			.function = k->function, .index = k->index,
			.flags = (k->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) ? CPUID_F_INDEXED : 0,
			.eax = k->eax, .ebx = k->ebx, .ecx = k->ecx, .edx = k->edx,
		};
	}
}

int kvm_cpuid_get(int fd, unsigned long req, const char *name, struct cpuid_set *out)
{
	const unsigned int max = CPUID_MAX_ENTRIES;
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + max * sizeof(c->entries[0]));
	int rc;

	if (!c)
		return err_set(-ENOMEM, "out of memory");
	c->nent = max;
	rc = kvm_ioctl_named(fd, req, c, name);
	if (rc >= 0) {
		kvm_cpuid2_to_set(c, out);
		rc = 0;
	}
	free(c);
	return rc;
}

int kvm_sys_supported_cpuid(const struct kvm_sys *k, struct cpuid_set *out)
{
	return kvm_cpuid_get(k->fd, KVM_GET_SUPPORTED_CPUID, "KVM_GET_SUPPORTED_CPUID", out);
}

int kvm_sys_feature_msr(const struct kvm_sys *k, uint32_t index, uint64_t *val, bool *ok)
{
	struct kvm_msrs_one m = { .nmsrs = 1, .e.index = index };
	int rc = kvm_ioctl(k->fd, KVM_GET_MSRS, &m);

	*val = 0;
	*ok = false;
	if (rc < 0)
		return err_prefix(rc, "feature MSR 0x%x", index);
	if (rc == 1) {
		*val = m.e.data;
		*ok = true;
	}
	return 0;
}

int kvm_sys_feature_msr_list(const struct kvm_sys *k, uint32_t *out, unsigned int max, unsigned int *n)
{
	struct kvm_msr_list *l = calloc(1, sizeof(*l) + max * sizeof(uint32_t));
	int rc;

	if (!l)
		return err_set(-ENOMEM, "out of memory");
	l->nmsrs = max;
	rc = kvm_ioctl(k->fd, KVM_GET_MSR_FEATURE_INDEX_LIST, l);
	if (rc >= 0) {
		*n = l->nmsrs < max ? l->nmsrs : max;
		memcpy(out, l->indices, *n * sizeof(uint32_t));
		rc = 0;
	}
	free(l);
	return rc;
}
