/* SPDX-License-Identifier: MIT */
/*
 * echo: reads lines from COM1 (polled) and prints "echo: <line>" for each,
 * until a line "quit", then exits 0.  Tests the console's receive path.
 */
#include "rt.h"

int main(void)
{
	char line[128];
	unsigned int n = 0;

	printf("echo: ready\n");
	for (;;) {
		int c = console_getc();

		if (c == '\r')
			continue;
		if (c != '\n' && n < sizeof(line) - 1) {
			line[n++] = (char)c;
			continue;
		}
		line[n] = '\0';
		n = 0;
		if (!strncmp(line, "quit", 5))
			break;
		printf("echo: %s\n", line);
	}
	printf("echo: bye\n");
	return 0;
}
