/* SPDX-License-Identifier: MIT */
/* Smallest guest: one line, then the "pass" exit. Also built as hello64. */
#include "rt.h"

int main(void)
{
	printf("hello from specvisor guest\n");
	return 0;
}
