/*
 * The one INI configuration file shared by every netmon daemon (SPEC §3).
 * Parsing is strict: unknown sections/keys and bad values are errors that name
 * the file, the line and the key. Defaults that depend on the machine (server
 * id, interface, networks) stay empty after parsing and are filled by
 * config_resolve(), so the parser itself is deterministic (golden tests).
 */
#ifndef NETMON_CONFIG_H
#define NETMON_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cidr.h"
#include "name.h"
#include "netmon.h"

#define CONFIG_MAX_FILE   (1024 * 1024)  /* refuse larger config files */
#define CONFIG_MAX_LINE   4096
#define CONFIG_NAME_MAX   64             /* user names, interface names */
#define CONFIG_OUTPUTS_MAX 8
#define CONFIG_MAX_VALUE  4000           /* bytes in one value: "key = value" prints on one line */
#define CONFIG_USER_MAX   32             /* characters in a user name (useradd's limit) */
#define CONFIG_SNAPLEN_MIN 64            /* Ethernet + 2 VLAN tags + IPv6 header fit */
#define CONFIG_SNAPLEN_MAX 65535

enum output_kind { OUTPUT_HTTP, OUTPUT_STDOUT, OUTPUT_FILE, OUTPUT_PROMETHEUS, OUTPUT_OTLP };

struct output {
	enum output_kind kind;
	char path[PATH_MAX];                 /* OUTPUT_FILE, OUTPUT_PROMETHEUS; OUTPUT_OTLP: the URL */
};

/* "http", "stdout", "file:", "prometheus:", "otlp:" */
const char *output_kind_name(enum output_kind k);

struct netmon_config {
	char path[PATH_MAX];                 /* file it came from ("" = defaults) */

	/* [agent] */
	char server_id[256];                 /* "" = hostname */
	char interface[CONFIG_NAME_MAX];     /* "" = interface of the default route */
	struct cidr_list networks;           /* empty = the interface's own prefixes */
	unsigned cycle_seconds;              /* 1..3600, default 5 */
	char run_dir[PATH_MAX];              /* /run/netmon */
	char state_dir[PATH_MAX];            /* /var/lib/netmon */
	char user[CONFIG_NAME_MAX];          /* netmon */
	char log_level[16];                  /* error|warning|info|debug, default info */

	/* per-role "user" override, "" = [agent] user */
	char role_user[ROLE_COUNT][CONFIG_NAME_MAX];

	/* [capd] */
	unsigned snaplen;                    /* bytes captured per frame, default 128 */
	unsigned buffer_mb;                  /* packet ring size in MiB, default 32 */
	bool promiscuous;                    /* default yes */
	char filter[1024];                   /* extra BPF filter, "" = none */
	unsigned max_devices;                /* table slots, default 65536 */

	/* [arpd] */
	bool active_scan;                    /* default yes */
	struct cidr_list scan_range;         /* empty = IPv4 part of networks */
	unsigned scan_interval_seconds;      /* between sweeps, default 300 */
	unsigned device_timeout_seconds;     /* active → inactive, default 600 */
	unsigned forget_seconds;             /* inactive → removed, default 604800 */
	unsigned arpd_max_devices;           /* device table slots, default 4096 */
	unsigned scan_rate;                  /* ARP requests per second, default 500 */
	unsigned scan_tries;                 /* requests per silent address, default 2 */

	/* [sysd] */
	char proc_root[PATH_MAX];            /* default /proc */
	char sys_root[PATH_MAX];             /* default /sys */
	char interfaces_include[1024];       /* fnmatch globs, comma-separated; "" = every interface */
	char interfaces_exclude[1024];       /* globs left out (wins over include); "" = none */

	/* [reporter] */
	char api_url[2048];                  /* "" = no upload */
	char api_key_file[PATH_MAX];         /* "" = none (env NETMON_API_KEY) */
	size_t n_outputs;                    /* 0 = default (http if api_url else stdout) */
	struct output outputs[CONFIG_OUTPUTS_MAX];
	unsigned spool_max_mib;              /* on-disk spool bound, default 64 */
	char ca_file[PATH_MAX];              /* "" = system CAs */
	unsigned connect_timeout_seconds;    /* default 10 */
	unsigned timeout_seconds;            /* whole transfer, default 30 */
	bool gzip;                           /* gzip request bodies, default no */
	struct names_order name_sources;     /* deviceName's source order, default NAMES_ORDER_DEFAULT */
	bool resolve_names;                  /* reverse DNS lookups, default yes */
};

void config_defaults(struct netmon_config *c);

/* Parse an in-memory INI text over the values already in *c (normally
 * config_defaults()); `name` is used in error messages. `buf` needs no NUL.
 * 0 on success; -1 with one line "NAME:LINE: [SECTION] KEY: PROBLEM (got 'VALUE')"
 * in err (format: docs/config.md), and *c unchanged. Does not resolve defaults. */
int config_parse_buffer(struct netmon_config *c, const char *name,
			const char *buf, size_t len, char *err, size_t errlen);

/* Defaults, then parse the file at `path` (at most CONFIG_MAX_FILE bytes; a
 * regular file writable by others is refused). Sets c->path on success.
 * Errors: "PATH: PROBLEM" for the file itself, else as config_parse_buffer.
 * Run as root (a daemon's start), the file must also pass strict modes: owned
 * by root, not group-writable, and every directory above it owned by root and
 * not writable by group or others unless sticky (docs/config.md). */
int config_load(struct netmon_config *c, const char *path, char *err, size_t errlen);
/* The same with strict modes chosen by the caller (tests of the parser load
 * files from a checkout that need not be root's). */
int config_load_file(struct netmon_config *c, const char *path, bool strict_modes,
		     char *err, size_t errlen);

/* Fill machine-dependent defaults (hostname, default-route interface, its
 * prefixes, scan range, outputs). Reads /proc/net/route, /proc/net/ipv6_route
 * and getifaddrs() (common/netinfo.h). Everything resolvable is filled even when one part fails;
 * -1 then, with the first problem ("[agent] KEY: ...") in err. */
int config_resolve(struct netmon_config *c, char *err, size_t errlen);

/* The effective configuration, every key, in the file's own syntax. */
void config_print(const struct netmon_config *c, FILE *out);

/* The user a role runs as: its own override, else [agent] user. */
const char *config_user_for(const struct netmon_config *c, enum netmon_role role);

#endif
