/* SPDX-License-Identifier: MIT */
/* specvisor: dispatch to the subcommands of src/cli/. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "util/log.h"

#define SPECVISOR_VERSION "0.1.0"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "run", cmd_run, "boot a guest (default: the bundled demonstration guest)" },
	{ "host", cmd_host, "host probe: this host's profile from KVM, as JSON" },
	{ "model", cmd_model, "model list | model show NAME: built-in CPU models" },
	{ "pool", cmd_pool, "pool baseline HOST.json... | pool check MODEL HOST.json" },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: specvisor COMMAND [ARGS]   (specvisor COMMAND --help for details)\n\n"
		"A VMM on Linux KVM that gives guests a stable, migratable view of CPU\n"
		"security controls and enforces the mitigations they need on each host.\n\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-7s %s\n", commands[i].name, commands[i].help);
}

int main(int argc, char **argv)
{
	/* A closed stdin/stdout/stderr would hand its number to the next fd we
	 * open (an eventfd read as console input...): fill the holes. */
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
	/* A reader that goes away is handled where we write (EPIPE), not by dying. */
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("specvisor %s\n", SPECVISOR_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	log_err("unknown command '%s' (see specvisor --help)", argv[1]);
	return 2;
}
