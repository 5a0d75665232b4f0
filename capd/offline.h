/*
 * Offline mode (SPEC §4): read a pcap file to its end through the same
 * decoder and table as live capture, then optionally dump the counters.
 * Needs no privilege, no config file and no reporter.
 */
#ifndef NETMON_CAPD_OFFLINE_H
#define NETMON_CAPD_OFFLINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cidr.h"
#include "daemon.h"

struct capd_offline_opts {
	const char *path;                  /* pcap or pcapng file; "-" = stdin */
	const struct cidr_list *networks;  /* local networks */
	bool all_addresses;                /* no networks given: every address is local */
	uint32_t max_devices;              /* table capacity */
	bool dump;                         /* print the JSON lines to out */
	const char *user;                  /* who to become when run as root */
	const struct daemon_opts *test;    /* test builds: the hooks to run once confined */
};

/* Once the file is open and the table allocated, the process confines
 * itself before reading a single record (the file may come from anywhere):
 * as root it becomes o->user, and in any case it drops every capability,
 * sets no_new_privs and loads capd's seccomp allow-list, as live mode does.
 * Returns the exit status: 0, or 1 after logging one line that names the
 * file (and, for a bad record, its byte offset). */
int capd_offline_run(const struct capd_offline_opts *o, FILE *out);

#endif
