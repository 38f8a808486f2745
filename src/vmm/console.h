/* SPDX-License-Identifier: MIT */
#ifndef SV_VMM_CONSOLE_H
#define SV_VMM_CONSOLE_H

/*
 * Guest console output to a host fd, through a thread of its own: a vCPU
 * never blocks on a slow or stalled stdout (it would hold the UART lock and
 * the stop path with it).  When the buffer is full, bytes are dropped and
 * counted, as a UART without flow control would lose them.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define CONSOLE_BUF_LEN	(64 * 1024)

struct console {
	int fd;
	pthread_t thread;
	bool started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	uint8_t buf[CONSOLE_BUF_LEN];
	size_t head, len;
	bool stop;		/* drain what is buffered, then exit */
	atomic_bool abort;	/* exit now (stdout stalled at shutdown) */
	bool gone;		/* the reader went away (EPIPE): drop everything */
	uint64_t dropped;
};

int console_start(struct console *c, int fd);
/* Never blocks on the fd. */
void console_put(struct console *c, uint8_t byte);
/* Drain (waiting at most ~1 s for a stalled reader), stop the thread. */
void console_stop(struct console *c);

#endif
