/* SPDX-License-Identifier: MIT */
/* Guest CPUID construction (src/cpu/guest_cpuid.c) and the "host" model. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cpu/guest_cpuid.h"
#include "cpu/host_json.h"
#include "cpu/model_json.h"
#include "msr/msr_index.h"
#include "util/err.h"

static struct cpu_model m;
static struct host_profile hp;
static struct cpuid_set out;

static void load(const char *model, const char *host)
{
	char path[128];

	if (model && model_load(model, &m))
		fail_msg("%s", err_msg());
	snprintf(path, sizeof(path), "data/hosts/%s.json", host);
	if (host_profile_load(path, &hp))
		fail_msg("%s", err_msg());
}

static void build(const struct cpu_model *x, unsigned int id, unsigned int n, bool virt, bool amd_acap)
{
	struct guest_cpuid_opts o = { .vcpu_id = id, .nvcpus = n, .virt_msrs = virt, .amd_arch_cap = amd_acap };

	if (guest_cpuid_build(x, &hp.cpuid, &o, &out))
		fail_msg("%s", err_msg());
}

static uint32_t reg(uint32_t fn, uint32_t idx, enum cpuid_reg r)
{
	return cpuid_reg(&out, fn, idx, r);
}

/* Security bits come from the model exactly; others only where the host has them. */
static void test_security_exact_other_and(void **state)
{
	load("sapphirerapids", "cascadelake");
	build(&m, 0, 1, false, false);
	/* IBT is security: shown though the CLX host lacks it (pool_check refuses that host). */
	assert_true(cpuid_has(&out, F_IBT));
	assert_int_equal(reg(7, 0, CPUID_EDX) & cpuid_security_bits(7, 0, CPUID_EDX),
			 cpuid_reg(&m.cpuid, 7, 0, CPUID_EDX) & cpuid_security_bits(7, 0, CPUID_EDX));
	/* 7.2 does not exist on the host: the model's leaf is used as is. */
	assert_int_equal(reg(7, 2, CPUID_EDX), 0x17);
	/* AVX512_VBMI (7.0.ECX[1]) is in the model, not on CLX: hidden. SHSTK (security) shown. */
	assert_int_equal(reg(7, 0, CPUID_ECX) & 2, 0);
	assert_true(cpuid_has(&out, F_SHSTK));
	/* AVX512_VNNI (bit 11) is on both. */
	assert_int_equal(reg(7, 0, CPUID_ECX) & (1u << 11), 1u << 11);
	/* 7.1 AVX_VNNI: model 0x30, host has no 7.1 -> 0 */
	assert_int_equal(reg(7, 1, CPUID_EAX), 0);
	/* Model values: signature, vendor. */
	assert_int_equal(reg(1, 0, CPUID_EAX), 0x000806f8);
	assert_int_equal(cpuid_vendor(&out), VENDOR_INTEL);
	/* Host-kind registers: 0x80000008 ECX/EDX from the host. */
	assert_int_equal(reg(0x80000008, 0, CPUID_EBX), 0x200 & cpuid_reg(&hp.cpuid, 0x80000008, 0, CPUID_EBX));
}

static void test_per_vcpu_fields(void **state)
{
	struct cpuid_entry e = { .function = 0xb, .index = 0, .flags = CPUID_F_INDEXED, .eax = 1, .ebx = 1, .ecx = 0x100 };

	load("sapphirerapids", "sapphirerapids");
	assert_int_equal(cpuid_put(&hp.cpuid, &e), 0);
	e.index = 1;
	e.ecx = 0x201;
	assert_int_equal(cpuid_put(&hp.cpuid, &e), 0);
	e.function = 0x1f;
	e.index = 0;
	assert_int_equal(cpuid_put(&hp.cpuid, &e), 0);
	build(&m, 5, 8, false, false);
	assert_true(cpuid_has(&out, F_HYPERVISOR));
	assert_int_equal(reg(1, 0, CPUID_EBX) >> 24, 5);
	assert_int_equal((reg(1, 0, CPUID_EBX) >> 16) & 0xff, 8);
	assert_int_equal(reg(1, 0, CPUID_EBX) & 0xffff, 0x800);	/* CLFLUSH size from the model */
	assert_true(reg(1, 0, CPUID_EDX) & (1u << 28));		/* HTT */
	assert_int_equal(reg(0xb, 0, CPUID_EDX), 5);
	assert_int_equal(reg(0xb, 1, CPUID_EDX), 5);
	assert_int_equal(reg(0x1f, 0, CPUID_EDX), 5);
	assert_int_equal(reg(0xb, 1, CPUID_ECX), 0x201);		/* rest of topology: host's */
	build(&m, 0, 1, false, false);
	assert_false(reg(1, 0, CPUID_EDX) & (1u << 28));
	assert_int_equal((reg(1, 0, CPUID_EBX) >> 16) & 0xff, 1);
	build(&m, 300, 300, false, false);
	assert_int_equal((reg(1, 0, CPUID_EBX) >> 16) & 0xff, 0xff);
	assert_int_equal(reg(1, 0, CPUID_EBX) >> 24, 300 & 0xff);
	assert_int_equal(reg(0xb, 0, CPUID_EDX), 300);
}

static void test_max_leaves(void **state)
{
	struct cpuid_entry e = { .function = 0x24, .flags = CPUID_F_INDEXED };

	load("cascadelake-server", "sapphirerapids");
	assert_int_equal(cpuid_put(&hp.cpuid, &e), 0);
	e.function = 0x80000026;
	assert_int_equal(cpuid_put(&hp.cpuid, &e), 0);
	build(&m, 0, 1, false, false);
	assert_int_equal(reg(0, 0, CPUID_EAX), 0x24);
	assert_int_equal(reg(0x80000000, 0, CPUID_EAX), 0x80000026);
}

static void test_hypervisor_leaves(void **state)
{
	static const struct cpuid_entry kvm = { .function = 0x40000000, .eax = 0x40000001,
		.ebx = 0x4b4d564b, .ecx = 0x564b4d56, .edx = 0x4d };
	char sig[13] = { 0 };
	uint32_t r[3];

	load("zen4", "zen4");
	assert_int_equal(cpuid_put(&hp.cpuid, &kvm), 0);
	build(&m, 0, 1, true, false);
	assert_int_equal(reg(SPECVISOR_CPUID_BASE, 0, CPUID_EAX), SPECVISOR_CPUID_FEATURES);
	r[0] = reg(SPECVISOR_CPUID_BASE, 0, CPUID_EBX);
	r[1] = reg(SPECVISOR_CPUID_BASE, 0, CPUID_ECX);
	r[2] = reg(SPECVISOR_CPUID_BASE, 0, CPUID_EDX);
	memcpy(sig, r, 12);
	assert_string_equal(sig, "SpecvisorVMM");
	assert_int_equal(r[0], 0x63657053);	/* "Spec" little-endian */
	assert_int_equal(reg(SPECVISOR_CPUID_FEATURES, 0, CPUID_EAX) & 1, 1);
	/* KVM's own leaves stay as KVM made them. */
	assert_int_equal(reg(0x40000000, 0, CPUID_EBX), 0x4b4d564b);
	assert_int_equal(reg(0, 0, CPUID_EAX) < 0x40000000, 1);
	build(&m, 0, 1, false, false);
	assert_null(cpuid_find(&out, SPECVISOR_CPUID_BASE, 0));
	assert_null(cpuid_find(&out, SPECVISOR_CPUID_FEATURES, 0));
}

/* AMD: ARCH_CAPABILITIES only on request (prior-art §1.1, §9.5). */
static void test_amd_arch_cap(void **state)
{
	load("zen4", "zen4");
	assert_true(cpuid_has(&hp.cpuid, F_ARCH_CAPABILITIES));	/* KVM sets it */
	build(&m, 0, 1, false, false);
	assert_false(cpuid_has(&out, F_ARCH_CAPABILITIES));
	build(&m, 0, 1, false, true);
	assert_true(cpuid_has(&out, F_ARCH_CAPABILITIES));
	build(NULL, 0, 1, false, false);
	assert_false(cpuid_has(&out, F_ARCH_CAPABILITIES));
	/* Intel: the opt-in changes nothing. */
	load("sapphirerapids", "sapphirerapids");
	build(&m, 0, 1, false, false);
	assert_true(cpuid_has(&out, F_ARCH_CAPABILITIES));
}

static void test_host_passthrough(void **state)
{
	load(NULL, "graniterapids");
	build(NULL, 2, 4, true, false);
	assert_true(cpuid_has(&out, F_HYPERVISOR));
	assert_int_equal(reg(7, 0, CPUID_EDX), cpuid_reg(&hp.cpuid, 7, 0, CPUID_EDX));
	assert_int_equal(reg(7, 2, CPUID_EDX), 0x3f);
	assert_int_equal(reg(0x80000008, 0, CPUID_EBX), 0x4100d200);
	assert_int_equal(reg(1, 0, CPUID_EBX) >> 24, 2);
	assert_non_null(cpuid_find(&out, SPECVISOR_CPUID_BASE, 0));
}

/* Leaves a model manages but leaves out are hidden on every host. */
static void test_managed_leaves_hidden(void **state)
{
	load("zen2", "zen4");
	build(&m, 0, 1, false, false);
	assert_null(cpuid_find(&out, 0x80000021, 0));
	assert_null(cpuid_find(&out, 7, 1));
	assert_false(cpuid_has(&out, F_AMD_IBPB_RET));	/* model value, not Genoa's */
	assert_int_equal(reg(0x80000000, 0, CPUID_EAX), 0x80000008);
	load("cascadelake-server", "graniterapids");
	build(&m, 0, 1, false, false);
	assert_null(cpuid_find(&out, 7, 1));
	assert_null(cpuid_find(&out, 7, 2));
	assert_false(cpuid_has(&out, F_BHI_CTRL));
	assert_int_equal(reg(7, 0, CPUID_EAX), 0);
	/* CET XSAVE sub-leaves of the host are dropped with CET. */
	assert_null(cpuid_find(&out, 0xd, 11));
	assert_int_equal(reg(0xd, 1, CPUID_ECX), 0);
}

static void test_xsave(void **state)
{
	load("alderlake", "sapphirerapids");
	build(&m, 0, 1, false, false);
	assert_int_equal(reg(0xd, 0, CPUID_EAX), 0x7);		/* model 0x7 & host 0x2e7 */
	assert_int_equal(reg(0xd, 0, CPUID_ECX), 0x340);	/* AVX: 576 + 256 */
	assert_non_null(cpuid_find(&out, 0xd, 2));
	assert_null(cpuid_find(&out, 0xd, 5));
	assert_null(cpuid_find(&out, 0xd, 9));
	assert_non_null(cpuid_find(&out, 0xd, 11));		/* CET_U kept: XSS has it */
	load("sapphirerapids", "sapphirerapids");
	build(&m, 0, 1, false, false);
	assert_int_equal(reg(0xd, 0, CPUID_ECX), 0xa88);	/* PKRU ends at 2696 */
	assert_int_equal(reg(0xd, 1, CPUID_ECX), 0x1800);
}

static void test_address_sizes(void **state)
{
	struct cpuid_entry *e;

	load("sapphirerapids", "sapphirerapids");
	e = cpuid_find_mut(&hp.cpuid, 0x80000008, 0);
	e->eax = 0x00003027;	/* host: 39 physical, 48 linear */
	e->ecx = 0x1234;
	build(&m, 0, 1, false, false);
	assert_int_equal(reg(0x80000008, 0, CPUID_EAX), 0x00003027);
	assert_int_equal(reg(0x80000008, 0, CPUID_ECX), 0x1234);	/* topology: the host's */
	e->eax = 0x00003934;
	build(&m, 0, 1, false, false);
	assert_int_equal(reg(0x80000008, 0, CPUID_EAX), 0x0000302e);
}

static void test_dynamic_bits(void **state)
{
	struct cpuid_entry *e;

	load("sapphirerapids", "sapphirerapids");
	e = cpuid_find_mut(&hp.cpuid, 1, 0);
	e->ecx |= 1u << 27;	/* OSXSAVE as a CR4 mirror */
	e = cpuid_find_mut(&hp.cpuid, 7, 0);
	e->ecx |= 1u << 4;	/* OSPKE */
	build(&m, 0, 1, false, false);
	assert_false(reg(1, 0, CPUID_ECX) & (1u << 27));
	assert_false(reg(7, 0, CPUID_ECX) & (1u << 4));
	build(NULL, 0, 1, false, false);
	assert_false(reg(1, 0, CPUID_ECX) & (1u << 27));
}

static void test_model_from_host(void **state)
{
	load(NULL, "zen4");
	assert_int_equal(model_from_host(&hp, &m), 0);
	assert_string_equal(m.name, "host");
	assert_int_equal(m.vendor, VENDOR_AMD);
	assert_int_equal(m.family, 0x19);
	assert_int_equal(m.model, 0x11);
	assert_int_equal(m.stepping, 1);
	assert_int_equal(m.arch_cap, 0x0c000069);		/* bit 29 set by KVM */
	assert_string_equal(m.qemu, "EPYC-Genoa-v2");
	assert_non_null(cpuid_find(&m.cpuid, 0xd, 11));
	assert_null(cpuid_find(&m.cpuid, 0xd, 2));
	assert_int_equal(model_validate(&m), 0);
	load(NULL, "skylake");
	cpuid_find_mut(&hp.cpuid, 1, 0)->ecx |= 1u << 31;	/* a nested host */
	cpuid_find_mut(&hp.cpuid, 1, 0)->ebx |= 0x07100000;
	cpuid_find_mut(&hp.cpuid, 1, 0)->eax |= 0x1000;	/* processor type bits */
	assert_int_equal(model_from_host(&hp, &m), 0);
	assert_int_equal(cpuid_reg(&m.cpuid, 1, 0, CPUID_EAX), 0x00050654);
	assert_false(cpuid_has(&m.cpuid, F_HYPERVISOR));
	assert_int_equal(cpuid_reg(&m.cpuid, 1, 0, CPUID_EBX), 0x800);
	assert_int_equal(m.arch_cap, 0x400000000c00004cull);
	cpuid_remove(&hp.cpuid, 1, 0);
	assert_int_equal(model_from_host(&hp, &m), -EINVAL);
	assert_non_null(strstr(err_msg(), "leaf 0x1 missing"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_security_exact_other_and),
		cmocka_unit_test(test_per_vcpu_fields),
		cmocka_unit_test(test_max_leaves),
		cmocka_unit_test(test_hypervisor_leaves),
		cmocka_unit_test(test_amd_arch_cap),
		cmocka_unit_test(test_host_passthrough),
		cmocka_unit_test(test_managed_leaves_hidden),
		cmocka_unit_test(test_xsave),
		cmocka_unit_test(test_address_sizes),
		cmocka_unit_test(test_dynamic_bits),
		cmocka_unit_test(test_model_from_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
