/* SPDX-License-Identifier: MIT */
#ifndef SV_CLI_CLI_H
#define SV_CLI_CLI_H

/* One function per subcommand; argv[0] is the subcommand name.  Each returns
 * the process exit status. */
int cmd_run(int argc, char **argv);
int cmd_host(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_pool(int argc, char **argv);

#endif
