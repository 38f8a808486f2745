/* SPDX-License-Identifier: MIT */
#ifndef SV_VMM_BUSLOCK_VM_H
#define SV_VMM_BUSLOCK_VM_H

/* Bus-lock exits of one VM: the KVM capability, the limiter, the wait. */

struct machine;
struct vcpu_state;
struct buslock;

/* --bus-lock-ratelimit N: enable KVM's bus-lock exits (§5.1) or refuse to
 * start, naming the capability, unless --bus-lock-ratelimit-optional. */
int buslock_vm_setup(struct machine *m);
void buslock_vm_teardown(struct buslock *b);
/* Wake every throttled vCPU now (stop, kill). NULL is fine. */
void buslock_vm_wake(struct buslock *b);
/* The exit carries a bus lock: count it, sleep off any delay. */
void buslock_vm_exit(struct vcpu_state *v);

#endif
