/* SPDX-License-Identifier: MIT */
/*
 * bare_msr: the cheapest possible VMM for the same guest, as the baseline of
 * bench/run.sh's MSR-exit cost.  It loads the image with specvisor's loader,
 * denies MSR 0x48 in the MSR filter like specvisor does, and answers each
 * RDMSR/WRMSR exit with no work at all.  COM1 output goes to stdout (LSR
 * always ready); a write to port 0xf4 ends the run with status (v<<1)|1.
 *   usage: bare_msr KERNEL [CMDLINE]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "boot/loader.h"
#include "kvm/vcpu.h"
#include "kvm/vm.h"
#include "util/err.h"
#include "vmm/machine_priv.h"

#define MEM (64ull << 20)

static int die(const char *what)
{
	fprintf(stderr, "bare_msr: %s: %s\n", what, err_msg());
	return 2;
}

int main(int argc, char **argv)
{
	static struct cpuid_set cpuid;
	struct boot_params bp = { .kernel_path = argc > 1 ? argv[1] : NULL,
				  .cmdline = argc > 2 ? argv[2] : NULL };
	struct guest_mem mem = { .size = MEM };
	struct boot_entry e;
	struct kvm_sys k;
	struct kvm_vm vm;
	struct vcpu_state v = { 0 };
	const uint32_t filt[] = { 0x48 };

	if (argc < 2) {
		fprintf(stderr, "usage: bare_msr KERNEL [CMDLINE]\n");
		return 2;
	}
	mem.host = mmap(NULL, MEM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem.host == MAP_FAILED)
		return 2;
	if (boot_load(&mem, &bp, &e) < 0)
		return die("load");
	if (kvm_sys_open(&k, "/dev/kvm") < 0 || kvm_vm_create(&k, &vm) < 0 ||
	    kvm_vm_add_memory(&vm, 0, 0, MEM, mem.host) < 0 || kvm_vm_create_irqchip(&vm) < 0 ||
	    kvm_vm_set_msr_filter(&vm, filt, 1) < 0)
		return die("kvm setup");
	if (kvm_vcpu_create(&vm, 0, &v.kv) < 0 || kvm_sys_supported_cpuid(&k, &cpuid) < 0 ||
	    kvm_vcpu_set_cpuid(&v.kv, &cpuid) < 0 || vcpu_setup_boot(&v, &e) < 0)
		return die("vcpu setup");
	for (;;) {
		struct kvm_run *run = v.kv.run;

		if (kvm_vcpu_run(&v.kv) < 0)
			continue;
		switch (run->exit_reason) {
		case KVM_EXIT_X86_RDMSR:
			run->msr.data = 0;
			run->msr.error = 0;
			break;
		case KVM_EXIT_X86_WRMSR:
			run->msr.error = 0;
			break;
		case KVM_EXIT_IO: {
			uint8_t *p = (uint8_t *)run + run->io.data_offset;

			if (run->io.direction == KVM_EXIT_IO_OUT && run->io.port == 0x3f8) {
				if (write(STDOUT_FILENO, p, 1) < 0)
					return 2;
			} else if (run->io.direction == KVM_EXIT_IO_OUT && run->io.port == 0xf4) {
				uint32_t val = 0;

				memcpy(&val, p, run->io.size);
				return (int)((val << 1) | 1) & 0xff;
			} else if (run->io.direction == KVM_EXIT_IO_IN) {
				memset(p, run->io.port == 0x3fd ? 0x60 : 0xff, run->io.size);
			}
			break;
		}
		case KVM_EXIT_MMIO:
			if (!run->mmio.is_write)
				memset(run->mmio.data, 0xff, sizeof(run->mmio.data));
			break;
		default:
			fprintf(stderr, "bare_msr: exit reason %u\n", run->exit_reason);
			return 2;
		}
	}
}
