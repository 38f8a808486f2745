/* SPDX-License-Identifier: MIT */
#ifndef SV_BUSLOCK_EXIT_H
#define SV_BUSLOCK_EXIT_H

/*
 * Bus locks as KVM reports them (cpu-security-controls.md §5.1-5.3): either an
 * exit of its own (KVM_EXIT_X86_BUS_LOCK) or the KVM_RUN_X86_BUS_LOCK flag
 * riding on any other exit.  KVM sets the flag on its own exits too, so the
 * test is "reason 33 or flag", and each exit counts at most one bus lock.
 */

#include <linux/kvm.h>
#include <stdbool.h>
#include <stdint.h>

#include "buslock/ratelimit.h"

/* Older uapi headers lack these (values from the x86 uapi). */
#ifndef KVM_EXIT_X86_BUS_LOCK
#define KVM_EXIT_X86_BUS_LOCK		33
#endif
#ifndef KVM_RUN_X86_BUS_LOCK
#define KVM_RUN_X86_BUS_LOCK		(1 << 1)
#endif
#ifndef KVM_CAP_X86_BUS_LOCK_EXIT
#define KVM_CAP_X86_BUS_LOCK_EXIT	193
#endif
#ifndef KVM_BUS_LOCK_DETECTION_OFF
#define KVM_BUS_LOCK_DETECTION_OFF	(1 << 0)
#endif
#ifndef KVM_BUS_LOCK_DETECTION_EXIT
#define KVM_BUS_LOCK_DETECTION_EXIT	(1 << 1)
#endif

/* Whether this exit carries a bus lock. */
bool buslock_exit_check(const struct kvm_run *run);
/*
 * Count the bus lock this exit carries, if any, against `vcpu` and return
 * the ns the vCPU must wait before KVM_RUN again (0: none, or no bus lock).
 * Call once per exit, before handling the primary exit reason.
 */
uint64_t buslock_exit_handle(struct ratelimit *rl, unsigned int vcpu,
			     const struct kvm_run *run, uint64_t now_ns);

#endif
