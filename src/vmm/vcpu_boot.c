/* SPDX-License-Identifier: MIT */
/* The boot vCPU's initial state, from the loader's boot_entry (boot/loader.h). */
#include "boot/loader.h"
#include "vmm/machine_priv.h"

/* Hidden segment state matching a GDT descriptor, as a CPU would load it. */
static struct kvm_segment seg_from_desc(uint16_t sel, uint64_t d)
{
	struct kvm_segment s = {
		.selector = sel,
		.base = (uint32_t)(((d >> 16) & 0xffffff) | ((d >> 32) & 0xff000000)),
		.limit = (uint32_t)((d & 0xffff) | ((d >> 32) & 0xf0000)),
		.type = (d >> 40) & 0xf,
		.s = (d >> 44) & 1,
		.dpl = (d >> 45) & 3,
		.present = (d >> 47) & 1,
		.avl = (d >> 52) & 1,
		.l = (d >> 53) & 1,
		.db = (d >> 54) & 1,
		.g = (d >> 55) & 1,
	};

	if (s.g)
		s.limit = (s.limit << 12) | 0xfff;
	return s;
}

int vcpu_setup_boot(struct vcpu_state *v, const struct boot_entry *e)
{
	struct kvm_sregs s;
	struct kvm_regs r = { 0 };
	int rc;

	rc = kvm_vcpu_get_sregs(&v->kv, &s);
	if (rc < 0)
		return rc;
	s.cs = seg_from_desc(BOOT_SEL_CODE, e->mode == BOOT_LONG64 ? BOOT_GDT_CODE64 : BOOT_GDT_CODE32);
	s.ds = s.es = s.fs = s.gs = s.ss = seg_from_desc(BOOT_SEL_DATA, BOOT_GDT_DATA);
	s.gdt.base = e->gdt_base;
	s.gdt.limit = e->gdt_limit;
	s.idt.base = 0;
	s.idt.limit = 0;
	if (e->mode == BOOT_LONG64) {
		s.cr0 = 0x80000011;		/* PG | ET | PE */
		s.cr4 = 0x20;			/* PAE */
		s.efer = 0x500;			/* LMA | LME */
		s.cr3 = e->cr3;
	} else {
		s.cr0 = 0x11;			/* ET | PE */
		s.cr4 = 0;
		s.efer = 0;
		s.cr3 = 0;
	}
	rc = kvm_vcpu_set_sregs(&v->kv, &s);
	if (rc < 0)
		return rc;
	r.rflags = 0x2;
	r.rip = e->rip;
	r.rsp = e->rsp;
	r.rax = e->rax;
	r.rbx = e->rbx;
	r.rsi = e->rsi;
	r.rdi = e->rdi;
	return kvm_vcpu_set_regs(&v->kv, &r);
}
