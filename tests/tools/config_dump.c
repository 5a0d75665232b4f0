/*
 * config_dump [-r] FILE: load a netmon.conf, optionally resolve the
 * machine-dependent defaults (-r), print the effective configuration.
 * Errors go to stderr as the one-line message, exit 1. Used by the script
 * tests (tests/config/t_*.sh) and handy for writing golden files.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"

int main(int argc, char **argv)
{
	struct netmon_config cfg;
	char err[1024];
	int resolve = 0, i = 1;

	if (argc > 1 && strcmp(argv[1], "-r") == 0) {
		resolve = 1;
		i++;
	}
	if (argc != i + 1) {
		fprintf(stderr, "usage: config_dump [-r] FILE\n");
		return EXIT_USAGE;
	}
	if (config_load(&cfg, argv[i], err, sizeof(err)) != 0 ||
	    (resolve && config_resolve(&cfg, err, sizeof(err)) != 0)) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	config_print(&cfg, stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}
