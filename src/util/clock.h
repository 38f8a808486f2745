/* SPDX-License-Identifier: MIT */
#ifndef SV_UTIL_CLOCK_H
#define SV_UTIL_CLOCK_H

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds: intervals, rate limits, re-check cadences. */
uint64_t clock_now_ns(void);

#endif
