/* SPDX-License-Identifier: MIT */
#include "buslock/exit.h"

bool buslock_exit_check(const struct kvm_run *run)
{
	/* Both, since the flag is documented to accompany reason 33 but an
	 * exit of reason 33 must count even if a kernel forgot it. */
	return run->exit_reason == KVM_EXIT_X86_BUS_LOCK ||
	       (run->flags & KVM_RUN_X86_BUS_LOCK);
}

uint64_t buslock_exit_handle(struct ratelimit *rl, unsigned int vcpu,
			     const struct kvm_run *run, uint64_t now_ns)
{
	if (!buslock_exit_check(run))
		return 0;
	return ratelimit_admit(rl, vcpu, now_ns);
}
