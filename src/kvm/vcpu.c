/* SPDX-License-Identifier: MIT */
#include "kvm/vcpu.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util/err.h"

int kvm_vcpu_create(struct kvm_vm *vm, unsigned int id, struct kvm_vcpu *v)
{
	v->id = id;
	v->fd = kvm_ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (v->fd < 0)
		return v->fd;
	v->run_size = vm->sys->vcpu_mmap_size;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		int e = errno;

		close(v->fd);
		v->fd = -1;
		v->run = NULL;
		return err_set(-e, "mmap of vCPU %u kvm_run: %s", id, strerror(e));
	}
	return 0;
}

void kvm_vcpu_destroy(struct kvm_vcpu *v)
{
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->fd >= 0)
		close(v->fd);
	v->run = NULL;
	v->fd = -1;
}

int kvm_vcpu_set_cpuid(struct kvm_vcpu *v, const struct cpuid_set *set)
{
	struct kvm_cpuid2 *c = kvm_cpuid2_from_set(set);
	int rc;

	if (!c)
		return err_set(-ENOMEM, "out of memory");
	rc = kvm_ioctl(v->fd, KVM_SET_CPUID2, c);
	free(c);
	return rc < 0 ? err_prefix(rc, "vCPU %u", v->id) : 0;
}

int kvm_vcpu_get_cpuid(struct kvm_vcpu *v, struct cpuid_set *set)
{
	return kvm_cpuid_get(v->fd, KVM_GET_CPUID2, "KVM_GET_CPUID2", set);
}

int kvm_vcpu_set_msr(struct kvm_vcpu *v, uint32_t index, uint64_t val)
{
	struct kvm_msrs_one m = { .nmsrs = 1, .e = { .index = index, .data = val } };
	int rc = kvm_ioctl(v->fd, KVM_SET_MSRS, &m);

	if (rc < 0)
		return err_prefix(rc, "vCPU %u MSR 0x%x", v->id, index);
	if (rc != 1)
		return err_set(-EINVAL, "KVM_SET_MSRS: vCPU %u: KVM rejected MSR 0x%x = 0x%llx",
			       v->id, index, (unsigned long long)val);
	return 0;
}

int kvm_vcpu_get_msr(struct kvm_vcpu *v, uint32_t index, uint64_t *val, bool *ok)
{
	struct kvm_msrs_one m = { .nmsrs = 1, .e = { .index = index } };
	int rc = kvm_ioctl(v->fd, KVM_GET_MSRS, &m);

	*ok = rc == 1;
	*val = rc == 1 ? m.e.data : 0;
	return rc < 0 ? err_prefix(rc, "vCPU %u MSR 0x%x", v->id, index) : 0;
}

int kvm_vcpu_load_msr(struct kvm_vcpu *v, uint32_t index, uint64_t val)
{
	uint64_t back;
	bool ok;
	int rc;

	/* Some KVMs accept a write and drop it (0x48 on hosts without SPEC_CTRL):
	 * only a read-back tells (see the README's "This machine"). */
	rc = kvm_vcpu_set_msr(v, index, val);
	if (rc < 0)
		return rc == -EINVAL ? 0 : rc;
	rc = kvm_vcpu_get_msr(v, index, &back, &ok);
	if (rc < 0)
		return rc;
	return ok && back == val;
}

int kvm_vcpu_run(struct kvm_vcpu *v)
{
	int rc = ioctl(v->fd, KVM_RUN, 0);

	if (rc < 0) {
		if (errno == EINTR || errno == EAGAIN)
			return -errno;
		return err_set(-errno, "KVM_RUN: vCPU %u: %s", v->id, strerror(errno));
	}
	return 0;
}

int kvm_vcpu_get_sregs(struct kvm_vcpu *v, struct kvm_sregs *s)
{
	int rc = kvm_ioctl(v->fd, KVM_GET_SREGS, s);

	return rc < 0 ? err_prefix(rc, "vCPU %u", v->id) : 0;
}

int kvm_vcpu_set_sregs(struct kvm_vcpu *v, const struct kvm_sregs *s)
{
	int rc = kvm_ioctl(v->fd, KVM_SET_SREGS, s);

	return rc < 0 ? err_prefix(rc, "vCPU %u", v->id) : 0;
}

int kvm_vcpu_set_regs(struct kvm_vcpu *v, const struct kvm_regs *r)
{
	int rc = kvm_ioctl(v->fd, KVM_SET_REGS, r);

	return rc < 0 ? err_prefix(rc, "vCPU %u", v->id) : 0;
}

static void dump_seg(FILE *f, const char *n, const struct kvm_segment *s)
{
	fprintf(f, "  %-3s sel=%04x base=%016llx limit=%08x type=%x p=%u dpl=%u db=%u s=%u l=%u g=%u\n",
		n, s->selector, (unsigned long long)s->base, s->limit, s->type, s->present,
		s->dpl, s->db, s->s, s->l, s->g);
}

void kvm_vcpu_dump(struct kvm_vcpu *v, FILE *f)
{
	struct kvm_regs r;
	struct kvm_sregs s;

	if (ioctl(v->fd, KVM_GET_REGS, &r) < 0 || ioctl(v->fd, KVM_GET_SREGS, &s) < 0) {
		fprintf(f, "vCPU %u: registers unavailable: %s\n", v->id, strerror(errno));
		return;
	}
	fprintf(f, "vCPU %u registers:\n", v->id);
	fprintf(f, "  rip=%016llx rsp=%016llx rflags=%016llx\n",
		r.rip, r.rsp, r.rflags);
	fprintf(f, "  rax=%016llx rbx=%016llx rcx=%016llx rdx=%016llx\n", r.rax, r.rbx, r.rcx, r.rdx);
	fprintf(f, "  rsi=%016llx rdi=%016llx rbp=%016llx\n", r.rsi, r.rdi, r.rbp);
	fprintf(f, "  r8 =%016llx r9 =%016llx r10=%016llx r11=%016llx\n", r.r8, r.r9, r.r10, r.r11);
	fprintf(f, "  r12=%016llx r13=%016llx r14=%016llx r15=%016llx\n", r.r12, r.r13, r.r14, r.r15);
	fprintf(f, "  cr0=%016llx cr2=%016llx cr3=%016llx cr4=%016llx efer=%016llx\n",
		s.cr0, s.cr2, s.cr3, s.cr4, s.efer);
	dump_seg(f, "cs", &s.cs);
	dump_seg(f, "ds", &s.ds);
	dump_seg(f, "ss", &s.ss);
	dump_seg(f, "tr", &s.tr);
	fprintf(f, "  gdt=%016llx/%04x idt=%016llx/%04x\n",
		s.gdt.base, s.gdt.limit, s.idt.base, s.idt.limit);
}
