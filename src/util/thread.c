/* SPDX-License-Identifier: MIT */
#include "util/thread.h"

#include <time.h>

void thread_join_kick(pthread_t t, unsigned int patience, void (*kick)(void *arg), void *arg)
{
	for (unsigned int waits = 0; ; waits++) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 100 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (pthread_timedjoin_np(t, NULL, &ts) == 0)
			return;
		if (waits >= patience)
			kick(arg);
	}
}
