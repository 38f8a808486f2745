/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "buslock/exit.h"

#define SEC NSEC_PER_SEC

static struct ratelimit rl;
static struct kvm_run run;

static int setup(void **state)
{
	(void)state;
	memset(&run, 0, sizeof(run));
	return ratelimit_init(&rl, 0, 0);
}

static int teardown(void **state)
{
	(void)state;
	ratelimit_destroy(&rl);
	return 0;
}

static uint64_t locks(void)
{
	struct buslock_stats s;

	ratelimit_total(&rl, &s);
	return s.locks;
}

static void test_constants(void **state)
{
	(void)state;
	assert_int_equal(KVM_EXIT_X86_BUS_LOCK, 33);
	assert_int_equal(KVM_RUN_X86_BUS_LOCK, 1 << 1);
	assert_int_equal(KVM_CAP_X86_BUS_LOCK_EXIT, 193);
	assert_int_equal(KVM_BUS_LOCK_DETECTION_OFF, 1 << 0);
	assert_int_equal(KVM_BUS_LOCK_DETECTION_EXIT, 1 << 1);
}

/* What KVM sends when the bus lock was the only reason to exit. */
static void test_bus_lock_exit(void **state)
{
	(void)state;
	run.exit_reason = KVM_EXIT_X86_BUS_LOCK;
	run.flags = KVM_RUN_X86_BUS_LOCK;
	assert_true(buslock_exit_check(&run));
	assert_int_equal(buslock_exit_handle(&rl, 0, &run, 0), 0);
	/* Reason and flag together: one bus lock, counted once. */
	assert_int_equal(locks(), 1);
}

/* Reason 33 alone still counts. */
static void test_reason_without_flag(void **state)
{
	(void)state;
	run.exit_reason = KVM_EXIT_X86_BUS_LOCK;
	assert_true(buslock_exit_check(&run));
	buslock_exit_handle(&rl, 0, &run, 0);
	assert_int_equal(locks(), 1);
}

/* A bus lock coincident with another exit (here I/O, an Intel bus-lock
 * exit preempted by a higher-priority one): the flag carries it. */
static void test_flag_on_io_exit(void **state)
{
	(void)state;
	run.exit_reason = KVM_EXIT_IO;
	run.flags = KVM_RUN_X86_BUS_LOCK;
	assert_true(buslock_exit_check(&run));
	buslock_exit_handle(&rl, 3, &run, 0);
	assert_int_equal(locks(), 1);
	run.exit_reason = KVM_EXIT_MMIO;
	assert_true(buslock_exit_check(&run));
	run.exit_reason = KVM_EXIT_X86_WRMSR;
	assert_true(buslock_exit_check(&run));
}

static void test_no_bus_lock(void **state)
{
	static const uint32_t reasons[] = {
		KVM_EXIT_IO, KVM_EXIT_MMIO, KVM_EXIT_HLT, KVM_EXIT_INTR, KVM_EXIT_SHUTDOWN,
		KVM_EXIT_X86_RDMSR, KVM_EXIT_X86_WRMSR, KVM_EXIT_SYSTEM_EVENT,
	};

	(void)state;
	for (unsigned int i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++) {
		run.exit_reason = reasons[i];
		/* The other flags (SMM bit 0, guest mode bit 2) are not bus locks. */
		run.flags = (1 << 0) | (1 << 2);
		assert_false(buslock_exit_check(&run));
		run.flags = 0;
		assert_false(buslock_exit_check(&run));
		assert_int_equal(buslock_exit_handle(&rl, 0, &run, 0), 0);
	}
	assert_int_equal(locks(), 0);
}

/* The delay the caller must sleep comes back from the handler. */
static void test_handle_throttles(void **state)
{
	struct buslock_stats s;

	(void)state;
	assert_int_equal(ratelimit_set_rate(&rl, 1, 0), 0);
	run.exit_reason = KVM_EXIT_X86_BUS_LOCK;
	run.flags = KVM_RUN_X86_BUS_LOCK;
	assert_int_equal(buslock_exit_handle(&rl, 1, &run, 10 * SEC), 0);
	assert_int_equal(buslock_exit_handle(&rl, 1, &run, 10 * SEC), SEC);
	run.exit_reason = KVM_EXIT_IO;
	assert_int_equal(buslock_exit_handle(&rl, 2, &run, 10 * SEC), 2 * SEC);
	run.flags = 0;
	assert_int_equal(buslock_exit_handle(&rl, 2, &run, 10 * SEC), 0);
	ratelimit_stats(&rl, 1, &s);
	assert_int_equal(s.locks, 2);
	assert_int_equal(s.throttles, 1);
	ratelimit_stats(&rl, 2, &s);
	assert_int_equal(s.locks, 1);
	assert_int_equal(s.throttled_ns, 2 * SEC);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_constants),
		T(test_bus_lock_exit),
		T(test_reason_without_flag),
		T(test_flag_on_io_exit),
		T(test_no_bus_lock),
		T(test_handle_throttles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
