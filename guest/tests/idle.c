/* SPDX-License-Identifier: MIT */
/*
 * Waits forever with interrupts enabled, so the VMM's vCPU thread sits in
 * KVM_RUN: the case for Ctrl-C / SIGTERM handling.  The runtime masked the
 * PIC and arms no timer, so nothing should wake us; if something does, the
 * default handler acknowledges it and we halt again.
 */
#include "rt.h"

int main(void)
{
	printf("idle: waiting\n");
	for (;;)
		__asm__ volatile("sti; hlt" ::: "memory");
}
