/* SPDX-License-Identifier: MIT */
#ifndef SV_CPU_HOST_PROBE_H
#define SV_CPU_HOST_PROBE_H

#include "cpu/host.h"
#include "kvm/kvm.h"

/* This host's profile, asked of KVM itself (`specvisor host probe`). */
int host_probe(const struct kvm_sys *k, struct host_profile *hp);

#endif
