/* SPDX-License-Identifier: MIT */
#include "vmm/console.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"
#include "util/thread.h"

static void *console_thread(void *arg)
{
	struct console *c = arg;
	uint8_t chunk[4096];
	sigset_t kick;

	/* console_stop() interrupts a stalled write with SIGUSR1. */
	sigemptyset(&kick);
	sigaddset(&kick, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &kick, NULL);

	for (;;) {
		size_t n, first;

		pthread_mutex_lock(&c->lock);
		while (!c->len && !c->stop)
			pthread_cond_wait(&c->cond, &c->lock);
		if (!c->len) {
			pthread_mutex_unlock(&c->lock);
			return NULL;
		}
		n = c->len < sizeof(chunk) ? c->len : sizeof(chunk);
		first = CONSOLE_BUF_LEN - c->head < n ? CONSOLE_BUF_LEN - c->head : n;
		memcpy(chunk, c->buf + c->head, first);
		memcpy(chunk + first, c->buf, n - first);
		c->head = (c->head + n) % CONSOLE_BUF_LEN;
		c->len -= n;
		pthread_mutex_unlock(&c->lock);

		for (size_t off = 0; off < n; ) {
			ssize_t w = write(c->fd, chunk + off, n - off);

			if (w > 0) {
				off += (size_t)w;
			} else if (w < 0 && errno == EINTR) {
				if (atomic_load(&c->abort))
					return NULL;
			} else {
				/* EPIPE and friends: nobody reads the console any more. */
				pthread_mutex_lock(&c->lock);
				c->gone = true;
				c->len = 0;
				pthread_mutex_unlock(&c->lock);
				break;
			}
		}
	}
}

int console_start(struct console *c, int fd)
{
	int rc;

	c->fd = fd;
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->cond, NULL);
	rc = pthread_create(&c->thread, NULL, console_thread, c);
	if (rc)
		return err_set(-rc, "creating the console thread: %s", strerror(rc));
	c->started = true;
	return 0;
}

void console_put(struct console *c, uint8_t byte)
{
	pthread_mutex_lock(&c->lock);
	if (c->gone || c->stop) {
		/* nothing: the reader is gone, or we are shutting down */
	} else if (c->len == CONSOLE_BUF_LEN) {
		c->dropped++;
	} else {
		c->buf[(c->head + c->len) % CONSOLE_BUF_LEN] = byte;
		if (c->len++ == 0)
			pthread_cond_signal(&c->cond);
	}
	pthread_mutex_unlock(&c->lock);
}

static void console_abort(void *arg)
{
	struct console *c = arg;

	atomic_store(&c->abort, true);
	pthread_kill(c->thread, SIGUSR1);
}

void console_stop(struct console *c)
{
	if (!c->started)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_cond_signal(&c->cond);
	pthread_mutex_unlock(&c->lock);
	/* Give a slow reader a second to take the rest, then interrupt the
	 * write (SIGUSR1 has a no-op handler without SA_RESTART). */
	thread_join_kick(c->thread, 10, console_abort, c);
	c->started = false;
	if (c->dropped)
		log_warn("console: %llu bytes of guest output dropped (stdout too slow)",
			 (unsigned long long)c->dropped);
	pthread_cond_destroy(&c->cond);
	pthread_mutex_destroy(&c->lock);
}
