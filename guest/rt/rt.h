/* SPDX-License-Identifier: MIT */
#ifndef GUEST_RT_RT_H
#define GUEST_RT_RT_H

/*
 * The guest runtime.  A guest defines main(); the runtime calls it on the
 * BSP with the console and the exception table ready, and passes its return
 * value to guest_exit().
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "console.h"
#include "cpu.h"
#include "fw_cfg.h"
#include "io.h"
#include "multiboot.h"
#include "smp.h"

int main(void);

/*
 * isa-debug-exit: the VMM (or QEMU) ends with status (code << 1) | 1, so
 * guest_exit(0) is the "pass" status 1.  Halts if nobody is listening.
 */
__attribute__((noreturn)) void guest_exit(int code);
/* Clean power-off through the ACPI PM1a control port (0x604): specvisor
 * exits with status 0.  Halts if nobody is listening. */
__attribute__((noreturn)) void guest_poweroff(void);

/* Freestanding string helpers (the compiler may also call mem*). */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strncmp(const char *a, const char *b, size_t n);
/* "0x..." hex or decimal; *end (if non-NULL) gets the first unparsed char. */
uint64_t parse_u64(const char *s, const char **end);

#endif
