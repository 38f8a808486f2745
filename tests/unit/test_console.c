/* SPDX-License-Identifier: MIT */
/* The console thread: bytes arrive in order, a stalled reader never blocks
 * console_put(), overflow is dropped and counted, a gone reader is tolerated. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "vmm/console.h"

static struct console con;

static void noop(int sig)
{
	(void)sig;
}

static int setup(void **state)
{
	struct sigaction sa = { .sa_handler = noop };

	(void)state;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	memset(&con, 0, sizeof(con));
	return 0;
}

static void test_in_order(void **state)
{
	int p[2];
	char buf[4096];
	ssize_t n, got = 0;

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(console_start(&con, p[1]), 0);
	for (int i = 0; i < 3000; i++)
		console_put(&con, (uint8_t)('a' + i % 26));
	console_stop(&con);
	close(p[1]);
	while ((n = read(p[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++)
			assert_int_equal(buf[i], 'a' + (got + i) % 26);
		got += n;
	}
	assert_int_equal(got, 3000);
	assert_int_equal(con.dropped, 0);
	close(p[0]);
}

/* Nobody reads: puts return at once, the excess is counted, stop gives up. */
static void test_stalled_reader(void **state)
{
	int p[2];
	const size_t total = CONSOLE_BUF_LEN * 3;

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(console_start(&con, p[1]), 0);
	for (size_t i = 0; i < total; i++)
		console_put(&con, 'x');
	/* the pipe (64 KiB) and the buffer hold some; the rest is dropped */
	assert_true(con.dropped > 0);
	assert_true(con.dropped < total);
	console_stop(&con);	/* returns: the stalled write is interrupted */
	close(p[0]);
	close(p[1]);
}

static void test_reader_gone(void **state)
{
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	assert_int_equal(console_start(&con, p[1]), 0);
	for (int i = 0; i < 100000; i++)
		console_put(&con, 'y');
	console_stop(&con);
	close(p[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_in_order, setup),
		cmocka_unit_test_setup(test_stalled_reader, setup),
		cmocka_unit_test_setup(test_reader_gone, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
