/* SPDX-License-Identifier: MIT */
#ifndef SV_UTIL_THREAD_H
#define SV_UTIL_THREAD_H

#include <pthread.h>

/*
 * Join t, waiting 100 ms at a time; once `patience` waits have passed, call
 * kick(arg) after every further wait (a kick is a signal that makes a blocking
 * call return EINTR, and a thread can be between calls when it arrives).
 */
void thread_join_kick(pthread_t t, unsigned int patience, void (*kick)(void *arg), void *arg);

#endif
