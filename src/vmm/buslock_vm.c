/* SPDX-License-Identifier: MIT */
#include "util/clock.h"
#include "vmm/buslock_vm.h"

#include <errno.h>
#include <stdlib.h>

#include "buslock/exit.h"
#include "buslock/ratelimit.h"
#include "buslock/wait.h"
#include "util/log.h"
#include "vmm/machine_priv.h"

struct buslock {
	struct ratelimit rl;
	struct buslock_waiter w;
};

int buslock_vm_setup(struct machine *m)
{
	const struct vm_config *c = m->cfg;
	struct buslock *b;
	int rc;

	if (!c->bus_lock_rate)
		return 0;
	rc = kvm_vm_enable_bus_lock_exit(&m->vm);
	if (rc == -ENOTSUP && c->bus_lock_optional) {
		log_warn("%s; running without bus-lock throttling (--bus-lock-ratelimit-optional)",
			 err_msg());
		return 0;
	}
	if (rc < 0)
		return err_prefix(rc, "--bus-lock-ratelimit");
	b = calloc(1, sizeof(*b));
	if (!b)
		return err_set(-ENOMEM, "out of memory");
	rc = ratelimit_init(&b->rl, c->bus_lock_rate, clock_now_ns());
	if (rc < 0) {
		free(b);
		return rc;
	}
	rc = buslock_waiter_init(&b->w);
	if (rc < 0) {
		ratelimit_destroy(&b->rl);
		free(b);
		return rc;
	}
	m->buslock = b;
	return 0;
}

void buslock_vm_teardown(struct buslock *b)
{
	if (!b)
		return;
	buslock_waiter_destroy(&b->w);
	ratelimit_destroy(&b->rl);
	free(b);
}

void buslock_vm_wake(struct buslock *b)
{
	if (b)
		buslock_wake_all(&b->w);
}

void buslock_vm_exit(struct vcpu_state *v)
{
	struct buslock *b = v->m->buslock;
	uint64_t delay, t0;

	v->bus_locks++;
	if (!b)
		return;
	delay = buslock_exit_handle(&b->rl, v->kv.id, v->kv.run, clock_now_ns());
	if (!delay)
		return;
	/* Sleep in this vCPU's thread only, outside every lock, and wake at
	 * once on stop (docs/buslock.md). */
	v->bus_lock_throttles++;
	t0 = clock_now_ns();
	buslock_wait(&b->w, delay);
	v->bus_lock_throttled_ns += clock_now_ns() - t0;
}
