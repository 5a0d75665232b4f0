/*
 * netmon.conf parser, printer and resolver.
 * Golden files (run from the repo root, as tests/run-suite.sh does):
 *   tests/config/good/NAME.conf -> NAME.ok  exact config_print() output
 *   tests/config/bad/NAME.conf  -> NAME.err the exact one-line error
 * A mismatch prints both texts line by line, '-' expected and '+' got.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <unistd.h>

#include "config.h"
#include "tmpdir.h"

#define GOOD_DIR "tests/config/good"
#define BAD_DIR  "tests/config/bad"

/* ---- helpers ------------------------------------------------------------- */

static char *print_to_string(const struct netmon_config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	config_print(c, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static char *read_whole(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(f);
	fclose(m);
	return buf;
}

static void write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* A line-by-line comparison; prints a diff-like report and returns false on mismatch. */
static bool same_text(const char *what, const char *expected, const char *got)
{
	if (strcmp(expected, got) == 0)
		return true;
	print_error("MISMATCH %s (- expected, + got):\n", what);
	const char *e = expected, *g = got;
	unsigned line = 1;
	while (*e || *g) {
		size_t el = strcspn(e, "\n"), gl = strcspn(g, "\n");
		if (el == gl && memcmp(e, g, el) == 0 && (*e != '\0') == (*g != '\0')) {
			print_error("  %4u  %.*s\n", line, (int)el, e);
		} else {
			if (*e)
				print_error("- %4u  %.*s\n", line, (int)el, e);
			if (*g)
				print_error("+ %4u  %.*s\n", line, (int)gl, g);
		}
		e += el + (e[el] == '\n');
		g += gl + (g[gl] == '\n');
		line++;
	}
	return false;
}

static bool has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The NAME.conf files of a golden directory, sorted; returns the count. */
static size_t list_confs(const char *dir, char ***out)
{
	DIR *d = opendir(dir);
	if (d == NULL)
		fail_msg("cannot open %s (tests must run from the repo root): %s", dir, strerror(errno));
	size_t n = 0, cap = 0;
	char **names = NULL;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!has_suffix(de->d_name, ".conf"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
			assert_non_null(names);
		}
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	*out = names;
	return n;
}

/* Every golden file has its partner: an orphan is a test nobody runs. */
static void check_partners(const char *dir, const char *expect_ext)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		char partner[512], base[256];
		if (de->d_name[0] == '.')
			continue;
		const char *dot = strrchr(de->d_name, '.');
		assert_non_null(dot);
		snprintf(base, sizeof(base), "%.*s", (int)(dot - de->d_name), de->d_name);
		if (strcmp(dot, ".conf") == 0)
			snprintf(partner, sizeof(partner), "%s/%s%s", dir, base, expect_ext);
		else if (strcmp(dot, expect_ext) == 0)
			snprintf(partner, sizeof(partner), "%s/%s.conf", dir, base);
		else
			fail_msg("%s/%s: unexpected file in a golden directory", dir, de->d_name);
		if (access(partner, F_OK) != 0)
			fail_msg("%s/%s has no partner %s", dir, de->d_name, partner);
	}
	closedir(d);
}

/* ---- golden files ------------------------------------------------------------ */

static void test_golden_good(void **state)
{
	(void)state;
	char **names;
	size_t n = list_confs(GOOD_DIR, &names), failures = 0;
	check_partners(GOOD_DIR, ".ok");
	assert_true(n >= 10);
	for (size_t i = 0; i < n; i++) {
		char path[512], okpath[512], err[512];
		struct netmon_config c;
		snprintf(path, sizeof(path), "%s/%s", GOOD_DIR, names[i]);
		snprintf(okpath, sizeof(okpath), "%s/%.*s.ok", GOOD_DIR,
			 (int)(strlen(names[i]) - 5), names[i]);
		if (config_load_file(&c, path, false, err, sizeof(err)) != 0) {
			print_error("%s: should load, got error: %s\n", path, err);
			failures++;
			continue;
		}
		char *got = print_to_string(&c);
		char *want = read_whole(okpath);
		assert_non_null(want);
		if (!same_text(okpath, want, got))
			failures++;

		/* the printed text is itself a config that means the same thing */
		struct netmon_config again;
		config_defaults(&again);
		if (config_parse_buffer(&again, okpath, got, strlen(got), err, sizeof(err)) != 0) {
			print_error("%s: printed config does not parse back: %s\n", okpath, err);
			failures++;
		} else {
			char *twice = print_to_string(&again);
			if (!same_text("round trip of " GOOD_DIR, got, twice))
				failures++;
			free(twice);
		}
		free(got);
		free(want);
		free(names[i]);
	}
	free(names);
	assert_int_equal(failures, 0);
}

static void test_golden_bad(void **state)
{
	(void)state;
	char **names;
	size_t n = list_confs(BAD_DIR, &names), failures = 0;
	check_partners(BAD_DIR, ".err");
	assert_true(n >= 20);
	for (size_t i = 0; i < n; i++) {
		char path[512], errpath[512], err[1024], got[1100];
		struct netmon_config c;
		snprintf(path, sizeof(path), "%s/%s", BAD_DIR, names[i]);
		snprintf(errpath, sizeof(errpath), "%s/%.*s.err", BAD_DIR,
			 (int)(strlen(names[i]) - 5), names[i]);
		char *want = read_whole(errpath);
		assert_non_null(want);
		if (config_load_file(&c, path, false, err, sizeof(err)) == 0) {
			print_error("%s: loaded, but should fail with: %s", path, want);
			failures++;
		} else {
			/* one line, naming the file and the line */
			assert_null(strchr(err, '\n'));
			assert_true(strncmp(err, path, strlen(path)) == 0);
			assert_int_equal(err[strlen(path)], ':');
			snprintf(got, sizeof(got), "%s\n", err);
			if (!same_text(errpath, want, got))
				failures++;
		}
		free(want);
		free(names[i]);
	}
	free(names);
	assert_int_equal(failures, 0);
}

/* ---- parser ------------------------------------------------------------------ */

static void test_defaults(void **state)
{
	(void)state;
	struct netmon_config c;
	config_defaults(&c);
	assert_string_equal(c.path, "");
	assert_string_equal(c.server_id, "");
	assert_string_equal(c.interface, "");
	assert_int_equal(c.networks.n, 0);
	assert_int_equal(c.cycle_seconds, 5);
	assert_string_equal(c.run_dir, "/run/netmon");
	assert_string_equal(c.state_dir, "/var/lib/netmon");
	assert_string_equal(c.user, "netmon");
	assert_string_equal(c.log_level, "info");
	assert_int_equal(c.snaplen, 128);
	assert_int_equal(c.buffer_mb, 32);
	assert_true(c.promiscuous);
	assert_string_equal(c.filter, "");
	assert_int_equal(c.max_devices, 65536);
	assert_true(c.active_scan);
	assert_int_equal(c.scan_range.n, 0);
	assert_string_equal(c.proc_root, "/proc");
	assert_string_equal(c.sys_root, "/sys");
	assert_string_equal(c.api_url, "");
	assert_string_equal(c.api_key_file, "");
	assert_int_equal(c.n_outputs, 0);
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_string_equal(config_user_for(&c, (enum netmon_role)r), "netmon");
}

static int parse(struct netmon_config *c, const char *text, char *err, size_t errlen)
{
	config_defaults(c);
	return config_parse_buffer(c, "t.conf", text, strlen(text), err, errlen);
}

static void test_values_reach_fields(void **state)
{
	(void)state;
	struct netmon_config c;
	char err[512];
	int rc = parse(&c,
		"[agent]\nnetworks = 192.0.2.9/24, 2001:db8::1/64\nuser = a\n"
		"[capd]\nuser = b\nsnaplen = 96\nbuffer_mb = 7\npromiscuous = off\nmax_devices = 99\n"
		"[arpd]\nscan_range = 198.51.100.0/30\nactive_scan = no\n"
		"[reporter]\napi_url = https://x.example/\noutputs = file:/tmp/o.jsonl, http\n",
		err, sizeof(err));
	assert_int_equal(rc, 0);
	assert_int_equal(c.networks.n, 2);
	uint8_t in[16] = { 192, 0, 2, 200 }, out[16] = { 192, 0, 3, 1 };
	assert_true(cidr_list_contains(&c.networks, AF_INET, in));
	assert_false(cidr_list_contains(&c.networks, AF_INET, out));
	assert_int_equal(c.snaplen, 96);
	assert_int_equal(c.buffer_mb, 7);
	assert_false(c.promiscuous);
	assert_int_equal(c.max_devices, 99);
	assert_false(c.active_scan);
	assert_int_equal(c.scan_range.n, 1);
	assert_int_equal(c.scan_range.v[0].prefix, 30);
	assert_string_equal(config_user_for(&c, ROLE_CAPD), "b");
	assert_string_equal(config_user_for(&c, ROLE_ARPD), "a");
	assert_string_equal(config_user_for(&c, ROLE_REPORTER), "a");
	assert_string_equal(config_user_for(&c, (enum netmon_role)99), "a");
	assert_int_equal(c.n_outputs, 2);
	assert_int_equal(c.outputs[0].kind, OUTPUT_FILE);
	assert_string_equal(c.outputs[0].path, "/tmp/o.jsonl");
	assert_int_equal(c.outputs[1].kind, OUTPUT_HTTP);
}

/* otlp:URL: the URL is kept as given; bad ones are named. */
static void test_otlp_output(void **state)
{
	(void)state;
	struct netmon_config c;
	char err[512];
	assert_int_equal(parse(&c, "[reporter]\noutputs = stdout, otlp:http://198.18.0.1:4318/v1/metrics, "
			       "prometheus:/tmp/p.prom\n", err, sizeof(err)), 0);
	assert_int_equal(c.n_outputs, 3);
	assert_int_equal(c.outputs[1].kind, OUTPUT_OTLP);
	assert_string_equal(c.outputs[1].path, "http://198.18.0.1:4318/v1/metrics");
	char *text = print_to_string(&c);
	assert_non_null(strstr(text, "outputs = stdout, otlp:http://198.18.0.1:4318/v1/metrics, "
			       "prometheus:/tmp/p.prom\n"));
	free(text);
	assert_int_equal(parse(&c, "[reporter]\noutputs = otlp:https://c.example/v1/metrics\n", err,
			       sizeof(err)), 0);
	assert_string_equal(c.outputs[0].path, "https://c.example/v1/metrics");

	assert_int_equal(parse(&c, "[reporter]\noutputs = otlp:ftp://x/\n", err, sizeof(err)), -1);
	assert_string_equal(err, "t.conf:2: [reporter] outputs: otlp output needs an http:// or "
			    "https:// URL with a host (otlp:http://HOST:4318/v1/metrics) "
			    "(got 'otlp:ftp://x/')");
	assert_int_equal(parse(&c, "[reporter]\noutputs = otlp:http:///v1\n", err, sizeof(err)), -1);
	assert_int_equal(parse(&c, "[reporter]\noutputs = otlp:\n", err, sizeof(err)), -1);
	assert_int_equal(parse(&c, "[reporter]\noutputs = otlp:http://a/ b\n", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "blank or control character at byte 10"));
	assert_int_equal(parse(&c, "[reporter]\noutputs = otlp:http://a/, otlp:http://a/\n", err,
			       sizeof(err)), -1);
	assert_non_null(strstr(err, "listed twice"));
}

/* A failed parse must not leave half a configuration behind. */
static void test_failure_leaves_config_unchanged(void **state)
{
	(void)state;
	struct netmon_config c;
	char err[512];
	assert_int_equal(parse(&c, "[agent]\ncycle_seconds = 9\n", err, sizeof(err)), 0);
	char *before = print_to_string(&c);
	const char *bad = "[agent]\nlog_level = debug\nnetworks = 192.0.2.0/24\ncycle_seconds = 0\n";
	assert_int_equal(config_parse_buffer(&c, "t.conf", bad, strlen(bad), err, sizeof(err)), -1);
	assert_string_equal(err, "t.conf:4: [agent] cycle_seconds: must be between 1 and 3600 (got '0')");
	char *after = print_to_string(&c);
	assert_true(same_text("config after failed parse", before, after));
	free(before);
	free(after);
}

/* The buffer is bytes with a length: no NUL needed, an embedded NUL is an error. */
static void test_buffer_is_not_a_string(void **state)
{
	(void)state;
	struct netmon_config c;
	char err[512];
	static const char nul[] = "[agent]\nuser = net\0mon\n";
	config_defaults(&c);
	assert_int_equal(config_parse_buffer(&c, "n.conf", nul, sizeof(nul) - 1, err, sizeof(err)), -1);
	assert_string_equal(err, "n.conf:2: NUL byte in line");

	/* only the first len bytes count: "cycle_seconds = 1" then garbage */
	static const char text[] = "[agent]\ncycle_seconds = 12345";
	config_defaults(&c);
	assert_int_equal(config_parse_buffer(&c, "n.conf", text, sizeof(text) - 5, err, sizeof(err)), 0);
	assert_int_equal(c.cycle_seconds, 1);

	/* zero bytes: defaults, even with a NULL-free empty buffer */
	config_defaults(&c);
	assert_int_equal(config_parse_buffer(&c, "n.conf", "", 0, err, sizeof(err)), 0);
	assert_int_equal(c.cycle_seconds, 5);
}

static void test_line_length_limit(void **state)
{
	(void)state;
	struct netmon_config c;
	char err[512];
	char *text = malloc(2 * CONFIG_MAX_LINE + 64);
	assert_non_null(text);

	/* a comment line of exactly CONFIG_MAX_LINE - 1 bytes is fine ... */
	memset(text, '#', CONFIG_MAX_LINE - 1);
	strcpy(text + CONFIG_MAX_LINE - 1, "\n[agent]\n");
	assert_int_equal(parse(&c, text, err, sizeof(err)), 0);
	/* ... also with CRLF: the \r is not part of the line */
	strcpy(text + CONFIG_MAX_LINE - 1, "\r\n[agent]\n");
	assert_int_equal(parse(&c, text, err, sizeof(err)), 0);
	/* ... one byte more is not */
	memset(text, '#', CONFIG_MAX_LINE);
	strcpy(text + CONFIG_MAX_LINE, "\n[agent]\n");
	assert_int_equal(parse(&c, text, err, sizeof(err)), -1);
	assert_string_equal(err, "t.conf:1: line longer than 4095 bytes");
	/* also on the last line without newline */
	memset(text, '#', CONFIG_MAX_LINE);
	text[CONFIG_MAX_LINE] = '\0';
	assert_int_equal(parse(&c, text, err, sizeof(err)), -1);

	/* the longest value that parses still prints on one line and parses back */
	strcpy(text, "[agent]\nrun_dir = /");
	size_t off = strlen(text);
	memset(text + off, 'r', CONFIG_MAX_VALUE - 1);
	strcpy(text + off + CONFIG_MAX_VALUE - 1, "\n");
	assert_int_equal(parse(&c, text, err, sizeof(err)), 0);
	assert_int_equal(strlen(c.run_dir), CONFIG_MAX_VALUE);
	char *printed = print_to_string(&c);
	struct netmon_config again;
	config_defaults(&again);
	assert_int_equal(config_parse_buffer(&again, "p", printed, strlen(printed), err, sizeof(err)), 0);
	assert_string_equal(again.run_dir, c.run_dir);
	free(printed);
	free(text);
}

/* Every field set to something unusual survives print -> parse unchanged. */
static void test_roundtrip_unusual_values(void **state)
{
	(void)state;
	struct netmon_config c, back;
	char err[512];
	const char *text =
		"[agent]\nserver_id = \xe2\x82\xac uro=1 #x ;y\ninterface = en\xc3\xa9\n"
		"networks = ::/0, 0.0.0.0/0, ::ffff:192.0.2.1/128, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/127\n"
		"cycle_seconds = 3600\nrun_dir = /a b/c\nstate_dir = /\nuser = x\nlog_level = error\n"
		"[capd]\nuser = _\nfilter = [x] = ; # \\ '\"\nmax_devices = 16\n"
		"[arpd]\nscan_range = 0.0.0.0/0\n[sysd]\nuser = s.s\n"
		"[reporter]\napi_url = HTTPS://h\napi_key_file = /k=v\n"
		"outputs = file:/x, file:/y, file:/a,b\n";
	/* "file:/a,b" splits at the comma: "b" is not an output */
	assert_int_equal(parse(&c, text, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "unknown output 'b'"));
	text = "[agent]\nserver_id = \xe2\x82\xac uro=1 #x ;y\ninterface = en\xc3\xa9\n"
		"networks = ::/0, 0.0.0.0/0, ::ffff:192.0.2.1/128, 2001:db8:ffff:ffff:ffff:ffff:ffff:ffff/127\n"
		"cycle_seconds = 3600\nrun_dir = /a b/c\nstate_dir = /\nuser = x\nlog_level = error\n"
		"[capd]\nuser = _\nfilter = [x] = ; # \\ '\"\nmax_devices = 16\n"
		"[arpd]\nscan_range = 0.0.0.0/0\n[sysd]\nuser = s.s\n"
		"[reporter]\napi_url = HTTPS://h\napi_key_file = /k=v\n"
		"outputs = file:/x, file:/y, stdout, file:/ \n";
	assert_int_equal(parse(&c, text, err, sizeof(err)), 0);
	char *p1 = print_to_string(&c);
	config_defaults(&back);
	assert_int_equal(config_parse_buffer(&back, "p1", p1, strlen(p1), err, sizeof(err)), 0);
	char *p2 = print_to_string(&back);
	assert_true(same_text("round trip", p1, p2));
	assert_string_equal(back.server_id, "\xe2\x82\xac uro=1 #x ;y");
	assert_string_equal(back.filter, "[x] = ; # \\ '\"");
	assert_string_equal(back.run_dir, "/a b/c");
	assert_int_equal(back.networks.n, 4);
	assert_memory_equal(&back.networks, &c.networks, sizeof(c.networks));
	assert_int_equal(back.n_outputs, 4);
	assert_string_equal(back.outputs[3].path, "/");
	free(p1);
	free(p2);
}

/* Whole-file check: 'http' needs api_url, wherever the two keys were set. */
static void test_http_needs_api_url(void **state)
{
	(void)state;
	struct netmon_config c;
	char err[512];
	assert_int_equal(parse(&c, "[reporter]\noutputs = http\napi_url = http://h/\n", err, sizeof(err)), 0);
	/* a later text clears api_url while outputs stays http: point at api_url */
	const char *t = "[reporter]\n\napi_url =\n";
	assert_int_equal(config_parse_buffer(&c, "later.conf", t, strlen(t), err, sizeof(err)), -1);
	assert_string_equal(err, "later.conf:3: [reporter] outputs: output 'http' needs "
			    "[reporter] api_url to be set (got 'http')");
	assert_string_equal(c.api_url, "http://h/");
}

static void test_error_messages_are_safe(void **state)
{
	(void)state;
	struct netmon_config c;
	char err[512], small[16];
	const char *t = "[agent]\ncycle_seconds = x\n";

	/* a file name with a newline cannot break the one-line rule */
	config_defaults(&c);
	assert_int_equal(config_parse_buffer(&c, "a\nb.conf", t, strlen(t), err, sizeof(err)), -1);
	assert_null(strchr(err, '\n'));
	assert_string_equal(err, "a\\x0ab.conf:2: [agent] cycle_seconds: not a decimal number (got 'x')");

	/* bytes that are not UTF-8 are escaped also where the problem quotes a list item */
	assert_int_equal(parse(&c, "[reporter]\noutputs = stdout, s\xfft\n", err, sizeof(err)), -1);
	assert_string_equal(err, "t.conf:2: [reporter] outputs: unknown output 's\\xfft' (use http, "
			    "stdout, file:/PATH, prometheus:/PATH or otlp:URL) (got 'stdout, s\\xfft')");
	assert_int_equal(parse(&c, "[agent]\nnetworks = 10.0.0.\xc3\xa9/8\n", err, sizeof(err)), -1);
	assert_string_equal(err, "t.conf:2: [agent] networks: '10.0.0.\xc3\xa9' is not an IPv4 or IPv6 "
			    "address (got '10.0.0.\xc3\xa9/8')");

	/* truncated, terminated */
	config_defaults(&c);
	assert_int_equal(config_parse_buffer(&c, "t.conf", t, strlen(t), small, sizeof(small)), -1);
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_memory_equal(small, "t.conf:2: [agen", sizeof(small));

	/* no buffer at all is allowed */
	config_defaults(&c);
	assert_int_equal(config_parse_buffer(&c, "t.conf", t, strlen(t), NULL, 0), -1);
	assert_int_equal(config_load(&c, "/nonexistent/netmon.conf", NULL, 0), -1);

	/* long values are quoted shortened */
	char *longv = malloc(3000);
	assert_non_null(longv);
	strcpy(longv, "[agent]\nlog_level = ");
	memset(longv + strlen(longv), 'v', 2000);
	longv[2020] = '\0';
	assert_int_equal(parse(&c, longv, err, sizeof(err)), -1);
	assert_true(strlen(err) < 200);
	assert_non_null(strstr(err, "vvv...')"));
	free(longv);
}

/* ---- config_load --------------------------------------------------------------- */

static void test_load_errors(void **state)
{
	struct tmpdir *t = *state;
	struct netmon_config c;
	char err[1024], path[256], want[512];

	snprintf(path, sizeof(path), "%s/missing.conf", t->path);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: cannot open: %s", path, strerror(ENOENT));
	assert_string_equal(err, want);

	assert_int_equal(config_load(&c, t->path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: is a directory", t->path);
	assert_string_equal(err, want);

	assert_int_equal(config_load(&c, "", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no configuration file name"));

	/* world-writable: refused; the same file 0644: loads and records its path */
	snprintf(path, sizeof(path), "%s/ww.conf", t->path);
	write_file(path, "[agent]\ncycle_seconds = 8\n", 26, 0666);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: is writable by every user; refusing it (chmod o-w)", path);
	assert_string_equal(err, want);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.cycle_seconds, 8);
	assert_string_equal(c.path, path);

	/* a parse error names the file as given */
	snprintf(path, sizeof(path), "%s/bad.conf", t->path);
	write_file(path, "[agent]\n\nbogus = 1\n", 19, 0600);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: [agent] bogus: unknown key (valid keys: server_id, "
		 "interface, networks, cycle_seconds, run_dir, state_dir, user, log_level)", path);
	assert_string_equal(err, want);
	/* and the failed load leaves the defaults, not half a file */
	assert_string_equal(c.path, "");
	assert_int_equal(c.cycle_seconds, 5);
}

/* Started as root, a daemon refuses a config file someone else could change
 * (sshd's StrictModes): owned by another user, group-writable, or in a
 * directory others can write to; a sticky directory is fine for root's file. */
static void test_load_strict_modes(void **state)
{
	struct tmpdir *t = *state;
	struct netmon_config c;
	char err[1024], path[512], dir[256], want[2048];
	static const char text[] = "[agent]\ncycle_seconds = 9\n";

	if (geteuid() != 0) {
		skip();
		return;
	}
	assert_int_equal(chmod(t->path, 0755), 0);
	snprintf(path, sizeof(path), "%s/ok.conf", t->path);
	write_file(path, text, strlen(text), 0644);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), 0);
	assert_int_equal(c.cycle_seconds, 9);

	/* owned by another, non-root user */
	assert_int_equal(chown(path, 65534, 0), 0);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: owned by uid 65534, not root; refusing it (chown root)", path);
	assert_string_equal(err, want);
	/* the parser's own tests may load it without strict modes */
	assert_int_equal(config_load_file(&c, path, false, err, sizeof(err)), 0);
	assert_int_equal(chown(path, 0, 0), 0);

	/* group-writable */
	assert_int_equal(chmod(path, 0664), 0);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: is writable by its group; refusing it (chmod g-w)", path);
	assert_string_equal(err, want);
	assert_int_equal(chmod(path, 0644), 0);

	/* in a directory others can write to (not sticky): anyone could replace it */
	snprintf(dir, sizeof(dir), "%s/open", t->path);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/netmon.conf", dir);
	write_file(path, text, strlen(text), 0644);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: its directory %s is writable by others; refusing it "
		 "(chmod go-w %s)", path, dir, dir);
	assert_string_equal(err, want);
	/* group-writable directory: the same */
	assert_int_equal(chmod(dir, 0775), 0);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is writable by its group"));
	/* a directory owned by another user, even 0755: they can replace the file */
	assert_int_equal(chmod(dir, 0755), 0);
	assert_int_equal(chown(dir, 65534, 0), 0);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: its directory %s is owned by uid 65534, not root; "
		 "refusing it", path, dir);
	assert_string_equal(err, want);
	assert_int_equal(chown(dir, 0, 0), 0);

	/* sticky and world-writable, like /tmp: root's file that only root can write is fine */
	assert_int_equal(chmod(dir, 01777), 0);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), 0);
	/* ... but not when it is writable by others (refused before strict modes) */
	assert_int_equal(chmod(path, 0646), 0);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "writable by every user"));
	assert_int_equal(chmod(path, 0644), 0);

	/* a relative name and a symlink are judged by the real directories too */
	char link[256];
	snprintf(link, sizeof(link), "%s/link.conf", t->path);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(config_load(&c, link, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "is writable by others"));
}

static void test_load_size_limit(void **state)
{
	struct tmpdir *t = *state;
	struct netmon_config c;
	char err[1024], path[256], want[512];
	char *big = malloc(CONFIG_MAX_FILE + 1);
	assert_non_null(big);

	/* exactly CONFIG_MAX_FILE bytes of comment lines: accepted */
	for (size_t i = 0; i < CONFIG_MAX_FILE; i += 64) {
		memset(big + i, '#', 63);
		big[i + 63] = '\n';
	}
	snprintf(path, sizeof(path), "%s/max.conf", t->path);
	write_file(path, big, CONFIG_MAX_FILE, 0600);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), 0);

	/* one byte more: refused before parsing */
	big[CONFIG_MAX_FILE] = '\n';
	snprintf(path, sizeof(path), "%s/over.conf", t->path);
	write_file(path, big, CONFIG_MAX_FILE + 1, 0600);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: larger than %d bytes", path, CONFIG_MAX_FILE);
	assert_string_equal(err, want);

	/* a FIFO is refused at once, with or without a writer: no daemon hangs at start */
	snprintf(path, sizeof(path), "%s/fifo", t->path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(config_load(&c, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: not a regular file", path);
	assert_string_equal(err, want);
	/* so is a character device */
	assert_int_equal(config_load(&c, "/dev/null", err, sizeof(err)), -1);
	assert_string_equal(err, "/dev/null: not a regular file");
	free(big);
}

/* The shipped file is valid and means exactly the built-in defaults, except
 * that each helper role runs as its own user (packaging/sysusers-netmon.conf). */
static void test_packaged_config_is_defaults(void **state)
{
	(void)state;
	struct netmon_config c, d;
	char err[1024];
	assert_int_equal(config_load_file(&c, "packaging/netmon.conf", false, err, sizeof(err)), 0);
	config_defaults(&d);
	snprintf(d.role_user[ROLE_CAPD], sizeof(d.role_user[ROLE_CAPD]), "netmon-capd");
	snprintf(d.role_user[ROLE_ARPD], sizeof(d.role_user[ROLE_ARPD]), "netmon-arpd");
	snprintf(d.role_user[ROLE_SYSD], sizeof(d.role_user[ROLE_SYSD]), "netmon-sysd");
	char *a = print_to_string(&c), *b = print_to_string(&d);
	assert_true(same_text("packaging/netmon.conf vs defaults", b, a));
	free(a);
	free(b);
}

/* ---- resolving machine defaults -------------------------------------------------- */

static void test_resolve_fills_derived_defaults(void **state)
{
	(void)state;
	struct netmon_config c;
	char err[512], host[256] = "";
	/* interface and networks given: nothing here depends on the machine's routes */
	assert_int_equal(parse(&c, "[agent]\ninterface = nmt0\nnetworks = 2001:db8::/64, 192.0.2.0/24, "
			       "198.51.100.0/24\n[reporter]\napi_url = https://h/\n", err, sizeof(err)), 0);
	assert_int_equal(config_resolve(&c, err, sizeof(err)), 0);
	assert_int_equal(gethostname(host, sizeof(host) - 1), 0);
	assert_string_equal(c.server_id, host);
	assert_string_equal(c.interface, "nmt0");
	char buf[256];
	assert_int_equal(cidr_list_format(&c.scan_range, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "192.0.2.0/24, 198.51.100.0/24");
	assert_int_equal(c.n_outputs, 1);
	assert_int_equal(c.outputs[0].kind, OUTPUT_HTTP);

	/* given values are kept; no api_url means stdout */
	assert_int_equal(parse(&c, "[agent]\nserver_id = me\ninterface = nmt0\nnetworks = 192.0.2.0/24\n"
			       "[arpd]\nscan_range = 192.0.2.128/25\n", err, sizeof(err)), 0);
	assert_int_equal(config_resolve(&c, err, sizeof(err)), 0);
	assert_string_equal(c.server_id, "me");
	assert_int_equal(cidr_list_format(&c.scan_range, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "192.0.2.128/25");
	assert_int_equal(c.outputs[0].kind, OUTPUT_STDOUT);

	/* resolved config prints and parses back to itself */
	char *p1 = print_to_string(&c);
	struct netmon_config back;
	config_defaults(&back);
	assert_int_equal(config_parse_buffer(&back, "r", p1, strlen(p1), err, sizeof(err)), 0);
	char *p2 = print_to_string(&back);
	assert_true(same_text("resolved round trip", p1, p2));
	free(p1);
	free(p2);

	/* an interface without addresses: a clear error naming the key */
	assert_int_equal(parse(&c, "[agent]\ninterface = nmt-none0\n", err, sizeof(err)), 0);
	assert_int_equal(config_resolve(&c, err, sizeof(err)), -1);
	assert_string_equal(err, "[agent] networks: interface nmt-none0 has no address other than "
			    "IPv6 link-local; set networks");
	/* the rest was still resolved */
	assert_int_equal(c.n_outputs, 1);
	assert_string_not_equal(c.server_id, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_golden_good),
		cmocka_unit_test(test_golden_bad),
		cmocka_unit_test(test_values_reach_fields),
		cmocka_unit_test(test_failure_leaves_config_unchanged),
		cmocka_unit_test(test_buffer_is_not_a_string),
		cmocka_unit_test(test_line_length_limit),
		cmocka_unit_test(test_roundtrip_unusual_values),
		cmocka_unit_test(test_http_needs_api_url),
		cmocka_unit_test(test_otlp_output),
		cmocka_unit_test(test_error_messages_are_safe),
		cmocka_unit_test_setup_teardown(test_load_errors, setup_tmpdir, teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_load_strict_modes, setup_tmpdir, teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_load_size_limit, setup_tmpdir, teardown_tmpdir),
		cmocka_unit_test(test_packaged_config_is_defaults),
		cmocka_unit_test(test_resolve_fills_derived_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
