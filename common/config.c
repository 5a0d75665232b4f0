/*
 * netmon.conf: a strict INI parser, the effective-config printer and the
 * resolution of machine-dependent defaults (the host's facts come from
 * netinfo.c, the UTF-8 and quoting rules from text.c). docs/config.md is the user-facing
 * description of every rule implemented here; keep the two in step.
 *
 * Every key is one row of config_keys[]: its section, name, kind of value and
 * where it lives in struct netmon_config. Parsing, printing and the error
 * messages are all driven by that table, so a key cannot be parsed but not
 * printed (the round trip print -> parse is tested and fuzzed).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"
#include "log.h"
#include "netinfo.h"
#include "text.h"

enum key_kind {
	KIND_UINT,       /* decimal number in [min, max] */
	KIND_BOOL,       /* yes/no/true/false/on/off/1/0 */
	KIND_PATH,       /* absolute path */
	KIND_TEXT,       /* free text (BPF filter) */
	KIND_SERVER_ID,  /* UTF-8 text: it ends up in the JSON payload */
	KIND_USER,       /* user name */
	KIND_IFNAME,     /* network interface name */
	KIND_CIDRS,      /* comma-separated CIDR list */
	KIND_LOGLEVEL,   /* error|warning|info|debug */
	KIND_URL,        /* http:// or https:// URL */
	KIND_OUTPUTS,    /* comma list of http, stdout, file:PATH */
	KIND_NAME_ORDER, /* comma list of name sources (common/name.h) */
};

#define KEY_EMPTY_OK  0x1u  /* "" is valid: "not set, use the derived default" */
#define KEY_IPV4_ONLY 0x2u  /* CIDR list of IPv4 prefixes only */

struct key_def {
	const char *section;
	const char *name;
	enum key_kind kind;
	unsigned flags;
	size_t off;        /* offsetof the field in struct netmon_config */
	size_t size;       /* sizeof the field (string buffer size) */
	unsigned min, max; /* KIND_UINT only */
};

#define FIELD(f) offsetof(struct netmon_config, f), sizeof(((struct netmon_config *)0)->f)
#define ROLE_USER(r, sect) { sect, "user", KIND_USER, KEY_EMPTY_OK, FIELD(role_user[r]), 0, 0 }

static const char *const config_sections[] = { "agent", "capd", "arpd", "sysd", "reporter" };
#define N_SECTIONS (sizeof(config_sections) / sizeof(config_sections[0]))

/* Table order is print order. Sections appear in config_sections[] order. */
static const struct key_def config_keys[] = {
	{ "agent", "server_id", KIND_SERVER_ID, KEY_EMPTY_OK, FIELD(server_id), 0, 0 },
	{ "agent", "interface", KIND_IFNAME, KEY_EMPTY_OK, FIELD(interface), 0, 0 },
	{ "agent", "networks", KIND_CIDRS, KEY_EMPTY_OK, FIELD(networks), 0, 0 },
	{ "agent", "cycle_seconds", KIND_UINT, 0, FIELD(cycle_seconds), 1, 3600 },
	{ "agent", "run_dir", KIND_PATH, 0, FIELD(run_dir), 0, 0 },
	{ "agent", "state_dir", KIND_PATH, 0, FIELD(state_dir), 0, 0 },
	{ "agent", "user", KIND_USER, 0, FIELD(user), 0, 0 },
	{ "agent", "log_level", KIND_LOGLEVEL, 0, FIELD(log_level), 0, 0 },

	ROLE_USER(ROLE_CAPD, "capd"),
	{ "capd", "snaplen", KIND_UINT, 0, FIELD(snaplen), CONFIG_SNAPLEN_MIN, CONFIG_SNAPLEN_MAX },
	/* libpcap takes the ring size in bytes as an int: at most INT_MAX, 2047 MiB */
	{ "capd", "buffer_mb", KIND_UINT, 0, FIELD(buffer_mb), 1, 2047 },
	{ "capd", "promiscuous", KIND_BOOL, 0, FIELD(promiscuous), 0, 0 },
	{ "capd", "filter", KIND_TEXT, KEY_EMPTY_OK, FIELD(filter), 0, 0 },
	{ "capd", "max_devices", KIND_UINT, 0, FIELD(max_devices), 16, 16777216 },

	ROLE_USER(ROLE_ARPD, "arpd"),
	{ "arpd", "active_scan", KIND_BOOL, 0, FIELD(active_scan), 0, 0 },
	{ "arpd", "scan_range", KIND_CIDRS, KEY_EMPTY_OK | KEY_IPV4_ONLY, FIELD(scan_range), 0, 0 },
	{ "arpd", "scan_interval_seconds", KIND_UINT, 0, FIELD(scan_interval_seconds), 10, 86400 },
	{ "arpd", "rate", KIND_UINT, 0, FIELD(scan_rate), 1, 10000 },
	{ "arpd", "tries", KIND_UINT, 0, FIELD(scan_tries), 1, 10 },
	{ "arpd", "device_timeout_seconds", KIND_UINT, 0, FIELD(device_timeout_seconds), 1, 2592000 },
	{ "arpd", "forget_seconds", KIND_UINT, 0, FIELD(forget_seconds), 1, 31536000 },
	{ "arpd", "max_devices", KIND_UINT, 0, FIELD(arpd_max_devices), 16, 65536 },

	ROLE_USER(ROLE_SYSD, "sysd"),
	{ "sysd", "proc_root", KIND_PATH, 0, FIELD(proc_root), 0, 0 },
	{ "sysd", "sys_root", KIND_PATH, 0, FIELD(sys_root), 0, 0 },
	{ "sysd", "interfaces_include", KIND_TEXT, KEY_EMPTY_OK, FIELD(interfaces_include), 0, 0 },
	{ "sysd", "interfaces_exclude", KIND_TEXT, KEY_EMPTY_OK, FIELD(interfaces_exclude), 0, 0 },

	ROLE_USER(ROLE_REPORTER, "reporter"),
	{ "reporter", "api_url", KIND_URL, KEY_EMPTY_OK, FIELD(api_url), 0, 0 },
	{ "reporter", "api_key_file", KIND_PATH, KEY_EMPTY_OK, FIELD(api_key_file), 0, 0 },
	{ "reporter", "outputs", KIND_OUTPUTS, KEY_EMPTY_OK, FIELD(outputs), 0, 0 },
	{ "reporter", "spool_max_mib", KIND_UINT, 0, FIELD(spool_max_mib), 1, 65536 },
	{ "reporter", "ca_file", KIND_PATH, KEY_EMPTY_OK, FIELD(ca_file), 0, 0 },
	{ "reporter", "connect_timeout_seconds", KIND_UINT, 0, FIELD(connect_timeout_seconds), 1, 300 },
	{ "reporter", "timeout_seconds", KIND_UINT, 0, FIELD(timeout_seconds), 1, 3600 },
	{ "reporter", "gzip", KIND_BOOL, 0, FIELD(gzip), 0, 0 },
	{ "reporter", "name_sources", KIND_NAME_ORDER, 0, FIELD(name_sources), 0, 0 },
	{ "reporter", "resolve_names", KIND_BOOL, 0, FIELD(resolve_names), 0, 0 },
};
#define N_KEYS (sizeof(config_keys) / sizeof(config_keys[0]))

/* How much of an offending value or name an error message quotes. */
#define ERR_QUOTE_MAX 64

void config_defaults(struct netmon_config *c)
{
	memset(c, 0, sizeof(*c));
	c->cycle_seconds = 5;
	snprintf(c->run_dir, sizeof(c->run_dir), "/run/netmon");
	snprintf(c->state_dir, sizeof(c->state_dir), "/var/lib/netmon");
	snprintf(c->user, sizeof(c->user), "netmon");
	snprintf(c->log_level, sizeof(c->log_level), "info");
	c->snaplen = 128;
	c->buffer_mb = 32;
	c->promiscuous = true;
	c->max_devices = 65536;
	c->spool_max_mib = 64;
	c->connect_timeout_seconds = 10;
	c->timeout_seconds = 30;
	names_order_default(&c->name_sources);
	c->resolve_names = true;
	c->active_scan = true;
	c->scan_interval_seconds = 300;
	c->scan_rate = 500;
	c->scan_tries = 2;
	c->device_timeout_seconds = 600;
	c->forget_seconds = 604800;
	c->arpd_max_devices = 4096;
	snprintf(c->proc_root, sizeof(c->proc_root), "/proc");
	snprintf(c->sys_root, sizeof(c->sys_root), "/sys");
}

const char *config_user_for(const struct netmon_config *c, enum netmon_role role)
{
	if ((int)role >= 0 && role < ROLE_COUNT && c->role_user[role][0] != '\0')
		return c->role_user[role];
	return c->user;
}

/* ---- error messages ---------------------------------------------------- */

struct parser {
	const char *name;                 /* file name for messages */
	unsigned long lineno;
	char *err;
	size_t errlen;
	int section;                      /* index into config_sections, -1 before the first */
	unsigned long section_line[N_SECTIONS];
	unsigned long key_line[N_KEYS];   /* 0 = not set in this text */
};

/*
 * The one error format: "NAME:LINE: [SECTION] KEY: PROBLEM (got 'VALUE')".
 * The section/key part is there when the problem concerns a key, the "got"
 * part when there is an offending value.
 */
__attribute__((format(printf, 5, 6)))
static int parse_error(struct parser *p, const char *section, const char *key,
		       const char *value, const char *fmt, ...)
{
	char name[PATH_MAX], keyq[4 * ERR_QUOTE_MAX + 4], valq[4 * ERR_QUOTE_MAX + 4];
	char raw[256], msg[4 * sizeof(raw)], where[4 * ERR_QUOTE_MAX + 32] = "";
	va_list ap;

	if (p->err == NULL || p->errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* the problem text may quote parts of the value (a list item) */
	text_quote_safe(msg, sizeof(msg), raw, sizeof(raw));
	text_quote_safe(name, sizeof(name), p->name, sizeof(name) - 4);
	if (key) {
		text_quote_safe(keyq, sizeof(keyq), key, ERR_QUOTE_MAX);
		if (section)
			snprintf(where, sizeof(where), "[%s] %s: ", section, keyq);
		else
			snprintf(where, sizeof(where), "%s: ", keyq);
	} else if (section) {
		snprintf(where, sizeof(where), "[%s] ", section);
	}
	if (value && value[0] != '\0') {
		text_quote_safe(valq, sizeof(valq), value, ERR_QUOTE_MAX);
		snprintf(p->err, p->errlen, "%s:%lu: %s%s (got '%s')", name, p->lineno, where, msg, valq);
	} else {
		snprintf(p->err, p->errlen, "%s:%lu: %s%s", name, p->lineno, where, msg);
	}
	return -1;
}

/* ---- value parsers: 0, or -1 with the problem in `why` ------------------ */

static int parse_uint(const char *v, unsigned min, unsigned max, unsigned *out,
		      char *why, size_t wl)
{
	unsigned long long n = 0;
	size_t len = strlen(v);

	/* digits only: strtoul would take "+5", " 5", "-1" (as a huge number) and "0x5" */
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)v[i])) {
			snprintf(why, wl, "not a decimal number");
			return -1;
		}
		if (n <= UINT32_MAX)
			n = n * 10 + (unsigned)(v[i] - '0');
	}
	if (n < min || n > max) {
		snprintf(why, wl, "must be between %u and %u", min, max);
		return -1;
	}
	*out = (unsigned)n;
	return 0;
}

static int parse_bool(const char *v, bool *out, char *why, size_t wl)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	snprintf(why, wl, "not a boolean (use yes or no)");
	return -1;
}

static int check_path(const char *v, size_t size, char *why, size_t wl)
{
	if (v[0] != '/') {
		snprintf(why, wl, "must be an absolute path");
		return -1;
	}
	if (strlen(v) >= size) {
		snprintf(why, wl, "path longer than %zu bytes", size - 1);
		return -1;
	}
	return 0;
}

static int check_user(const char *v, char *why, size_t wl)
{
	size_t len = strlen(v);
	bool all_digits = true;

	if (len > CONFIG_USER_MAX) {
		snprintf(why, wl, "user name longer than %d characters", CONFIG_USER_MAX);
		return -1;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)v[i];
		bool ok = isalnum(ch) || ch == '_' || (i > 0 && (ch == '.' || ch == '-'));
		if (!ok || ch >= 0x80) {
			snprintf(why, wl, "not a valid user name (letters, digits, '_', '.', '-'; not starting with '.' or '-')");
			return -1;
		}
		if (!isdigit(ch))
			all_digits = false;
	}
	if (all_digits) {
		snprintf(why, wl, "numeric user ids are not accepted; give a user name");
		return -1;
	}
	return 0;
}

/* The kernel's own rule (dev_valid_name): 1..15 bytes, no '/', ':' or blank. */
static int check_ifname(const char *v, char *why, size_t wl)
{
	size_t len = strlen(v);
	if (len >= IFNAMSIZ || strcmp(v, ".") == 0 || strcmp(v, "..") == 0 ||
	    strpbrk(v, "/: \t") != NULL) {
		snprintf(why, wl, "not a valid interface name (1 to %d bytes, no '/', ':' or blanks)",
			 IFNAMSIZ - 1);
		return -1;
	}
	return 0;
}

static int parse_cidrs(const char *v, unsigned flags, struct cidr_list *out, char *why, size_t wl)
{
	struct cidr_list l;
	memset(&l, 0, sizeof(l));
	if (cidr_list_parse(v, &l, why, wl) != 0)
		return -1;
	if (flags & KEY_IPV4_ONLY) {
		for (size_t i = 0; i < l.n; i++) {
			if (l.v[i].net.family != AF_INET) {
				char one[CIDR_STRLEN];
				snprintf(why, wl, "ARP scans IPv4 only, '%s' is IPv6",
					 cidr_format(&l.v[i], one, sizeof(one)));
				return -1;
			}
		}
	}
	*out = l;
	return 0;
}

static int check_url(const char *v, size_t size, char *why, size_t wl)
{
	const char *rest = NULL;
	if (strncasecmp(v, "http://", 7) == 0)
		rest = v + 7;
	else if (strncasecmp(v, "https://", 8) == 0)
		rest = v + 8;
	if (rest == NULL || rest[0] == '\0' || rest[0] == '/' || strpbrk(v, " \t") != NULL) {
		snprintf(why, wl, "must be an http:// or https:// URL with a host");
		return -1;
	}
	if (strlen(v) >= size) {
		snprintf(why, wl, "URL longer than %zu bytes", size - 1);
		return -1;
	}
	return 0;
}

/* The outputs that take a path after their name, e.g. file:/var/log/x. */
static const struct { const char *prefix; enum output_kind kind; } path_outputs[] = {
	{ "file:", OUTPUT_FILE },
	{ "prometheus:", OUTPUT_PROMETHEUS },
};

/* The outputs that take a URL after their name, e.g. otlp:http://host:4318/v1/metrics. */
static const struct { const char *prefix; enum output_kind kind; } url_outputs[] = {
	{ "otlp:", OUTPUT_OTLP },
};

const char *output_kind_name(enum output_kind k)
{
	for (size_t i = 0; i < sizeof(path_outputs) / sizeof(path_outputs[0]); i++)
		if (path_outputs[i].kind == k)
			return path_outputs[i].prefix;
	for (size_t i = 0; i < sizeof(url_outputs) / sizeof(url_outputs[0]); i++)
		if (url_outputs[i].kind == k)
			return url_outputs[i].prefix;
	return k == OUTPUT_HTTP ? "http" : "stdout";
}

static bool output_same(const struct output *a, const struct output *b)
{
	return a->kind == b->kind && strcmp(a->path, b->path) == 0;
}

/* "PREFIX/abs/path" for one of path_outputs: 1 parsed, 0 not such an output,
 * -1 bad path (why says so). */
static int parse_path_output(const char *p, size_t len, struct output *o, char *why, size_t wl)
{
	for (size_t i = 0; i < sizeof(path_outputs) / sizeof(path_outputs[0]); i++) {
		const char *pre = path_outputs[i].prefix;
		size_t pl = strlen(pre);
		if (len <= pl || memcmp(p, pre, pl) != 0)
			continue;
		o->kind = path_outputs[i].kind;
		if (p[pl] != '/') {
			snprintf(why, wl, "%.*s output needs an absolute path (%s/PATH)",
				 (int)(pl - 1), pre, pre);
			return -1;
		}
		if (len - pl >= sizeof(o->path)) {
			snprintf(why, wl, "%.*s output path longer than %zu bytes", (int)(pl - 1), pre,
				 sizeof(o->path) - 1);
			return -1;
		}
		memcpy(o->path, p + pl, len - pl);
		return 1;
	}
	return 0;
}

/* "PREFIX" + an http:// or https:// URL with a host, printable ASCII without
 * blanks (it goes into a request line as given): 1 parsed, 0 not such an
 * output, -1 bad URL (why says so). */
static int parse_url_output(const char *p, size_t len, struct output *o, char *why, size_t wl)
{
	for (size_t i = 0; i < sizeof(url_outputs) / sizeof(url_outputs[0]); i++) {
		const char *pre = url_outputs[i].prefix;
		size_t pl = strlen(pre), skip = 0;
		if (len < pl || memcmp(p, pre, pl) != 0)
			continue;
		o->kind = url_outputs[i].kind;
		const char *u = p + pl;
		size_t ul = len - pl;
		if (ul > 7 && memcmp(u, "http://", 7) == 0)
			skip = 7;
		else if (ul > 8 && memcmp(u, "https://", 8) == 0)
			skip = 8;
		if (skip == 0 || u[skip] == '/' || u[skip] == ':' || u[skip] == '?') {
			snprintf(why, wl, "%.*s output needs an http:// or https:// URL with a host "
				 "(%shttp://HOST:4318/v1/metrics)", (int)(pl - 1), pre, pre);
			return -1;
		}
		if (ul >= sizeof(o->path)) {
			snprintf(why, wl, "%.*s output URL longer than %zu bytes", (int)(pl - 1), pre,
				 sizeof(o->path) - 1);
			return -1;
		}
		for (size_t k = 0; k < ul; k++)
			if ((unsigned char)u[k] <= 0x20 || (unsigned char)u[k] >= 0x7f) {
				snprintf(why, wl, "%.*s output URL has a blank or control character "
					 "at byte %zu", (int)(pl - 1), pre, k + 1);
				return -1;
			}
		memcpy(o->path, u, ul);
		return 1;
	}
	return 0;
}

static int parse_outputs(const char *v, struct output *outs, size_t *n_out, char *why, size_t wl)
{
	struct output list[CONFIG_OUTPUTS_MAX];
	size_t n = 0;
	const char *p = v;
	int rc;

	for (;;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0) {
			snprintf(why, wl, "empty item in the list");
			return -1;
		}
		if (n == CONFIG_OUTPUTS_MAX) {
			snprintf(why, wl, "more than %d outputs", CONFIG_OUTPUTS_MAX);
			return -1;
		}
		struct output o;
		memset(&o, 0, sizeof(o));
		if (len == 4 && memcmp(p, "http", 4) == 0) {
			o.kind = OUTPUT_HTTP;
		} else if (len == 6 && memcmp(p, "stdout", 6) == 0) {
			o.kind = OUTPUT_STDOUT;
		} else if ((rc = parse_path_output(p, len, &o, why, wl)) != 0 ||
			   (rc = parse_url_output(p, len, &o, why, wl)) != 0) {
			if (rc < 0)
				return -1;
		} else {
			snprintf(why, wl, "unknown output '%.*s' (use http, stdout, file:/PATH, "
				 "prometheus:/PATH or otlp:URL)",
				 (int)(len > ERR_QUOTE_MAX ? ERR_QUOTE_MAX : len), p);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			if (output_same(&list[i], &o)) {
				snprintf(why, wl, "output '%.*s' listed twice",
					 (int)(len > ERR_QUOTE_MAX ? ERR_QUOTE_MAX : len), p);
				return -1;
			}
		}
		list[n++] = o;
		if (!end)
			break;
		p = end + 1;
	}
	memset(outs, 0, CONFIG_OUTPUTS_MAX * sizeof(list[0]));
	memcpy(outs, list, n * sizeof(list[0]));
	*n_out = n;
	return 0;
}

/* Set the key's field from its value text; -1 with the problem in why. */
static int key_set(struct netmon_config *c, const struct key_def *k, const char *v,
		   char *why, size_t wl)
{
	char *field = (char *)c + k->off;

	if (strlen(v) > CONFIG_MAX_VALUE) {
		snprintf(why, wl, "value longer than %d bytes", CONFIG_MAX_VALUE);
		return -1;
	}
	if (v[0] == '\0') {
		if (!(k->flags & KEY_EMPTY_OK)) {
			snprintf(why, wl, "missing value");
			return -1;
		}
		/* empty = not set: the derived default applies */
		if (k->kind == KIND_CIDRS)
			memset(field, 0, sizeof(struct cidr_list));
		else if (k->kind == KIND_OUTPUTS) {
			memset(c->outputs, 0, sizeof(c->outputs));
			c->n_outputs = 0;
		} else
			memset(field, 0, k->size);
		return 0;
	}

	switch (k->kind) {
	case KIND_UINT:
		return parse_uint(v, k->min, k->max, (unsigned *)(void *)field, why, wl);
	case KIND_BOOL:
		return parse_bool(v, (bool *)(void *)field, why, wl);
	case KIND_PATH:
		if (check_path(v, k->size, why, wl) != 0)
			return -1;
		break;
	case KIND_TEXT:
		if (strlen(v) >= k->size) {
			snprintf(why, wl, "longer than %zu bytes", k->size - 1);
			return -1;
		}
		break;
	case KIND_SERVER_ID:
		if (strlen(v) >= k->size) {
			snprintf(why, wl, "longer than %zu bytes", k->size - 1);
			return -1;
		}
		if (!text_utf8_valid(v)) {
			snprintf(why, wl, "not valid UTF-8");
			return -1;
		}
		break;
	case KIND_USER:
		if (check_user(v, why, wl) != 0)
			return -1;
		break;
	case KIND_IFNAME:
		if (check_ifname(v, why, wl) != 0)
			return -1;
		break;
	case KIND_CIDRS:
		return parse_cidrs(v, k->flags, (struct cidr_list *)(void *)field, why, wl);
	case KIND_LOGLEVEL:
		if (log_level_parse(v) < 0) {
			snprintf(why, wl, "must be error, warning, info or debug");
			return -1;
		}
		break;
	case KIND_URL:
		if (check_url(v, k->size, why, wl) != 0)
			return -1;
		break;
	case KIND_OUTPUTS:
		return parse_outputs(v, c->outputs, &c->n_outputs, why, wl);
	case KIND_NAME_ORDER:
		return names_order_parse(v, (struct names_order *)(void *)field, why, wl) == 0 ? 0 : -1;
	}
	/* string kinds: zero-filled so equal configs are equal bytes too */
	memset(field, 0, k->size);
	memcpy(field, v, strlen(v));
	return 0;
}

/* The canonical text of a key's value, as config_print writes it. */
static void key_format(const struct netmon_config *c, const struct key_def *k, char *buf, size_t n)
{
	const char *field = (const char *)c + k->off;

	buf[0] = '\0';
	switch (k->kind) {
	case KIND_UINT:
		snprintf(buf, n, "%u", *(const unsigned *)(const void *)field);
		break;
	case KIND_BOOL:
		snprintf(buf, n, "%s", *(const bool *)(const void *)field ? "yes" : "no");
		break;
	case KIND_CIDRS:
		if (cidr_list_format((const struct cidr_list *)(const void *)field, buf, n) != 0)
			buf[0] = '\0';   /* cannot happen: 64 prefixes fit CONFIG_MAX_LINE */
		break;
	case KIND_OUTPUTS: {
		size_t used = 0;
		for (size_t i = 0; i < c->n_outputs && used < n; i++) {
			const struct output *o = &c->outputs[i];
			int w = snprintf(buf + used, n - used, "%s%s%s", i ? ", " : "",
					 output_kind_name(o->kind), o->path);
			if (w < 0)
				break;
			used += (size_t)w;
		}
		break;
	}
	case KIND_NAME_ORDER:
		names_order_format((const struct names_order *)(const void *)field, buf, n);
		break;
	case KIND_PATH:
	case KIND_TEXT:
	case KIND_SERVER_ID:
	case KIND_USER:
	case KIND_IFNAME:
	case KIND_LOGLEVEL:
	case KIND_URL:
		snprintf(buf, n, "%.*s", (int)k->size, field);
		break;
	}
}

/* ---- the line parser ----------------------------------------------------- */

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Trim blanks in place; returns the first non-blank character. */
static char *trim(char *s)
{
	while (is_blank(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

static int section_index(const char *name)
{
	for (size_t i = 0; i < N_SECTIONS; i++)
		if (strcmp(config_sections[i], name) == 0)
			return (int)i;
	return -1;
}

static int key_index(const char *section, const char *name)
{
	for (size_t i = 0; i < N_KEYS; i++)
		if (strcmp(config_keys[i].section, section) == 0 && strcmp(config_keys[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void section_keys(const char *section, char *buf, size_t n)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < N_KEYS && used < n; i++) {
		if (strcmp(config_keys[i].section, section) != 0)
			continue;
		int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", config_keys[i].name);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static int parse_section_header(struct parser *p, char *line)
{
	char *close = strchr(line, ']');
	if (close == NULL)
		return parse_error(p, NULL, NULL, line, "section header without closing ']'");
	if (*trim(close + 1) != '\0')
		return parse_error(p, NULL, NULL, line, "text after the section header's ']'");
	*close = '\0';
	char *name = trim(line + 1);
	int s = section_index(name);
	if (s < 0) {
		char q[4 * ERR_QUOTE_MAX + 4];
		text_quote_safe(q, sizeof(q), name, ERR_QUOTE_MAX);
		return parse_error(p, NULL, NULL, NULL,
				   "unknown section [%s] (sections: agent, capd, arpd, sysd, reporter)", q);
	}
	if (p->section_line[s] != 0)
		return parse_error(p, NULL, NULL, NULL, "section [%s] appears twice (first on line %lu)",
				   config_sections[s], p->section_line[s]);
	p->section_line[s] = p->lineno;
	p->section = s;
	return 0;
}

static int parse_key_line(struct parser *p, struct netmon_config *c, char *line)
{
	const char *section = p->section >= 0 ? config_sections[p->section] : NULL;
	char *eq = strchr(line, '=');
	if (eq == NULL)
		return parse_error(p, section, line, NULL, "missing '=' (expected 'key = value')");
	*eq = '\0';
	char *key = trim(line);
	char *value = trim(eq + 1);
	if (key[0] == '\0')
		return parse_error(p, section, NULL, value, "missing key name before '='");
	if (section == NULL)
		return parse_error(p, NULL, key, NULL, "key before any [section] header");
	int k = key_index(section, key);
	if (k < 0) {
		char valid[256];
		section_keys(section, valid, sizeof(valid));
		return parse_error(p, section, key, NULL, "unknown key (valid keys: %s)", valid);
	}
	if (p->key_line[k] != 0)
		return parse_error(p, section, key, NULL, "duplicate key (first set on line %lu)",
				   p->key_line[k]);
	char why[200];
	if (key_set(c, &config_keys[k], value, why, sizeof(why)) != 0)
		return parse_error(p, section, key, value, "%s", why);
	p->key_line[k] = p->lineno;
	return 0;
}

static int parse_line(struct parser *p, struct netmon_config *c, char *raw)
{
	char *line = trim(raw);
	if (line[0] == '\0' || line[0] == '#' || line[0] == ';')
		return 0;
	if (line[0] == '[')
		return parse_section_header(p, line);
	return parse_key_line(p, c, line);
}

/* Checks that need the whole file: keys that depend on each other. */
static int parse_finish(struct parser *p, const struct netmon_config *c)
{
	int ko = key_index("reporter", "outputs"), ku = key_index("reporter", "api_url");
	bool http = false;
	for (size_t i = 0; i < c->n_outputs; i++)
		if (c->outputs[i].kind == OUTPUT_HTTP)
			http = true;
	if (http && c->api_url[0] == '\0') {
		char got[CONFIG_MAX_LINE];
		key_format(c, &config_keys[ko], got, sizeof(got));
		/* point at the outputs line; if this text did not set it, at api_url */
		if (p->key_line[ko] != 0)
			p->lineno = p->key_line[ko];
		else if (p->key_line[ku] != 0)
			p->lineno = p->key_line[ku];
		return parse_error(p, "reporter", "outputs", got,
				   "output 'http' needs [reporter] api_url to be set");
	}
	return 0;
}

int config_parse_buffer(struct netmon_config *c, const char *name,
			const char *buf, size_t len, char *err, size_t errlen)
{
	struct parser p;
	char line[CONFIG_MAX_LINE];
	size_t pos = 0;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	p.name = name ? name : "(config)";
	p.err = err;
	p.errlen = errlen;
	p.section = -1;
	if (err && errlen)
		err[0] = '\0';

	/* Work on a copy so a failed parse leaves *c untouched. */
	struct netmon_config *work = malloc(sizeof(*work));
	if (work == NULL)
		return parse_error(&p, NULL, NULL, NULL, "out of memory");
	memcpy(work, c, sizeof(*work));

	/* a UTF-8 byte order mark from some editors is invisible: skip it */
	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (rc == 0 && pos < len) {
		const char *start = buf + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;

		p.lineno++;
		pos += n + (nl ? 1 : 0);
		if (n > 0 && start[n - 1] == '\r')   /* CRLF files */
			n--;
		if (n >= CONFIG_MAX_LINE) {
			rc = parse_error(&p, NULL, NULL, NULL, "line longer than %d bytes",
					 CONFIG_MAX_LINE - 1);
			break;
		}
		for (size_t i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)start[i];
			if (ch == '\0') {
				rc = parse_error(&p, NULL, NULL, NULL, "NUL byte in line");
				break;
			}
			if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
				rc = parse_error(&p, NULL, NULL, NULL, "control character 0x%02x in line", ch);
				break;
			}
		}
		if (rc != 0)
			break;
		memcpy(line, start, n);
		line[n] = '\0';
		rc = parse_line(&p, work, line);
	}
	if (rc == 0)
		rc = parse_finish(&p, work);
	if (rc == 0)
		memcpy(c, work, sizeof(*c));
	free(work);
	return rc;
}

/* ---- loading a file ------------------------------------------------------ */

__attribute__((format(printf, 4, 5)))
static int file_error(const char *path, char *err, size_t errlen, const char *fmt, ...)
{
	char name[PATH_MAX], msg[256];
	va_list ap;
	if (err == NULL || errlen == 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	text_quote_safe(name, sizeof(name), path, sizeof(name) - 4);
	snprintf(err, errlen, "%s: %s", name, msg);
	return -1;
}

/*
 * The directory `dir` (absolute) and each of its parents up to "/": owned by
 * root, and not writable by group or others unless sticky (then only a file's
 * owner can replace it, and the file itself is checked to be root's).
 */
static int check_dir_chain(const char *path, const char *start, char *err, size_t errlen)
{
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s", start);
	for (;;) {
		struct stat st;
		char *slash = strrchr(dir, '/');
		if (slash == NULL)
			return 0;
		if (slash == dir)
			slash[1] = '\0';   /* "/" itself */
		else
			*slash = '\0';
		if (stat(dir, &st) != 0)
			return file_error(path, err, errlen, "cannot stat its directory %s: %s", dir,
					  strerror(errno));
		if (st.st_uid != 0)
			return file_error(path, err, errlen, "its directory %s is owned by uid %ld, not "
					  "root; refusing it", dir, (long)st.st_uid);
		if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
			return file_error(path, err, errlen, "its directory %s is writable by %s; "
					  "refusing it (chmod go-w %s)", dir,
					  st.st_mode & S_IWOTH ? "others" : "its group", dir);
		if (strcmp(dir, "/") == 0)
			return 0;
	}
}

/* sshd's StrictModes for a daemon started as root: whoever can change the
 * file, or replace it in its directory, would run code as root. */
static int check_trusted(const char *path, const struct stat *st, char *err, size_t errlen)
{
	char abs[PATH_MAX], real[PATH_MAX];

	if (st->st_uid != 0)
		return file_error(path, err, errlen, "owned by uid %ld, not root; refusing it "
				  "(chown root)", (long)st->st_uid);
	if (st->st_mode & S_IWGRP)
		return file_error(path, err, errlen, "is writable by its group; refusing it (chmod g-w)");
	/* the directories of the name as given (who can swap it, or a symlink in
	 * it) and of the file it resolves to */
	if (path[0] == '/') {
		snprintf(abs, sizeof(abs), "%s", path);
	} else {
		char cwd[PATH_MAX];
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			return file_error(path, err, errlen, "cannot resolve its directory: %s",
					  strerror(errno));
		if ((size_t)snprintf(abs, sizeof(abs), "%s/%s", cwd, path) >= sizeof(abs))
			return file_error(path, err, errlen, "file name too long");
	}
	if (check_dir_chain(path, abs, err, errlen) != 0)
		return -1;
	if (realpath(path, real) == NULL)
		return file_error(path, err, errlen, "cannot resolve: %s", strerror(errno));
	return strcmp(real, abs) == 0 ? 0 : check_dir_chain(path, real, err, errlen);
}

int config_load(struct netmon_config *c, const char *path, char *err, size_t errlen)
{
	return config_load_file(c, path, geteuid() == 0, err, errlen);
}

int config_load_file(struct netmon_config *c, const char *path, bool strict_modes,
		     char *err, size_t errlen)
{
	struct stat st;
	size_t used = 0;
	int rc;

	config_defaults(c);
	if (path == NULL || path[0] == '\0')
		return file_error("(config)", err, errlen, "no configuration file name given");
	if (strlen(path) >= sizeof(c->path))
		return file_error(path, err, errlen, "file name too long");
	/* O_NONBLOCK: opening a FIFO with no writer must not hang a daemon's start */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return file_error(path, err, errlen, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = file_error(path, err, errlen, "cannot stat: %s", strerror(errno));
		close(fd);
		return rc;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return file_error(path, err, errlen, "is a directory");
	}
	/* a FIFO, device or socket has no fixed content to validate: refuse it */
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return file_error(path, err, errlen, "not a regular file");
	}
	/* privileged daemons read it: a file anyone may change is a way to root */
	if (S_ISREG(st.st_mode) && (st.st_mode & S_IWOTH)) {
		close(fd);
		return file_error(path, err, errlen, "is writable by every user; refusing it (chmod o-w)");
	}
	if (strict_modes && check_trusted(path, &st, err, errlen) != 0) {
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && st.st_size > CONFIG_MAX_FILE) {
		close(fd);
		return file_error(path, err, errlen, "larger than %d bytes", CONFIG_MAX_FILE);
	}

	/* read at most one byte more than allowed: the file may grow after fstat */
	char *buf = malloc(CONFIG_MAX_FILE + 1);
	if (buf == NULL) {
		close(fd);
		return file_error(path, err, errlen, "out of memory");
	}
	ssize_t r = read_full(fd, buf, CONFIG_MAX_FILE + 1);
	if (r < 0) {
		rc = file_error(path, err, errlen, "read error: %s", strerror(errno));
		goto out;
	}
	used = (size_t)r;
	if (used > CONFIG_MAX_FILE) {
		rc = file_error(path, err, errlen, "larger than %d bytes", CONFIG_MAX_FILE);
		goto out;
	}
	rc = config_parse_buffer(c, path, buf, used, err, errlen);
	if (rc == 0)
		snprintf(c->path, sizeof(c->path), "%s", path);
out:
	free(buf);
	close(fd);
	return rc;
}

/* ---- printing ------------------------------------------------------------ */

void config_print(const struct netmon_config *c, FILE *out)
{
	char value[CONFIG_MAX_LINE];
	const char *section = NULL;

	fprintf(out, "# netmon effective configuration (netmon.conf(5))\n");
	for (size_t i = 0; i < N_KEYS; i++) {
		const struct key_def *k = &config_keys[i];
		if (section == NULL || strcmp(section, k->section) != 0) {
			fprintf(out, "%s[%s]\n", section ? "\n" : "", k->section);
			section = k->section;
		}
		key_format(c, k, value, sizeof(value));
		/* no trailing blank after '=' when the value is empty */
		fprintf(out, "%s =%s%s\n", k->name, value[0] ? " " : "", value);
	}
}

/* ---- machine-dependent defaults ----------------------------------------- */

/* Record only the first problem, keep resolving the rest. */
__attribute__((format(printf, 4, 5)))
static void resolve_error(int *rc, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (*rc != 0 || err == NULL || errlen == 0) {
		*rc = -1;
		return;
	}
	*rc = -1;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

int config_resolve(struct netmon_config *c, char *err, size_t errlen)
{
	int rc = 0;
	char why[512];

	if (err && errlen)
		err[0] = '\0';
	if (c->server_id[0] == '\0') {
		char host[sizeof(c->server_id)];
		memset(host, 0, sizeof(host));
		if (gethostname(host, sizeof(host) - 1) != 0)
			resolve_error(&rc, err, errlen, "[agent] server_id: gethostname: %s; set server_id",
				      strerror(errno));
		else if (host[0] == '\0' || !text_utf8_valid(host))
			resolve_error(&rc, err, errlen, "[agent] server_id: the host name is empty or "
				      "not UTF-8; set server_id");
		else
			memcpy(c->server_id, host, sizeof(host));
	}
	if (c->interface[0] == '\0' &&
	    netinfo_default_route_interface("/proc", c->interface, sizeof(c->interface),
					   why, sizeof(why)) != 0)
		resolve_error(&rc, err, errlen, "%s", why);
	if (c->networks.n == 0 && c->interface[0] != '\0') {
		struct ifaddrs *ifa = NULL;
		if (getifaddrs(&ifa) != 0) {
			resolve_error(&rc, err, errlen, "[agent] networks: getifaddrs: %s; set networks",
				      strerror(errno));
		} else {
			if (netinfo_interface_prefixes(ifa, c->interface, &c->networks) == 0)
				resolve_error(&rc, err, errlen, "[agent] networks: interface %s has no "
					      "address other than IPv6 link-local; set networks",
					      c->interface);
			freeifaddrs(ifa);
		}
	}
	if (c->scan_range.n == 0)
		for (size_t i = 0; i < c->networks.n; i++)
			if (c->networks.v[i].net.family == AF_INET)
				cidr_list_add(&c->scan_range, &c->networks.v[i]);
	if (c->n_outputs == 0) {
		memset(&c->outputs[0], 0, sizeof(c->outputs[0]));
		c->outputs[0].kind = c->api_url[0] ? OUTPUT_HTTP : OUTPUT_STDOUT;
		c->n_outputs = 1;
	}
	return rc;
}
