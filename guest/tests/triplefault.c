/* SPDX-License-Identifier: MIT */
/* An IDT with limit 0 makes any exception escalate to a triple fault. */
#include "rt.h"

int main(void)
{
	static const struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = { 0, 0 };

	printf("triplefault: loading empty IDT\n");
	__asm__ volatile("lidt %0; ud2" : : "m"(empty));
	printf("triplefault: still alive\n");
	return 1;
}
