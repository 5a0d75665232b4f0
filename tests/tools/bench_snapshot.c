/*
 * bench_snapshot N...: time to build and serialize one snapshot (SPEC §7)
 * with N devices, the reporter's per-cycle work: snapshot_build() over a
 * devtab holding N keys (half IPv4, half IPv6 beyond 256), then json_dumps()
 * as emit_snapshot does. Prints one line per N: median and max of the runs,
 * and the JSON size. Used by bench/reporter.sh.
 *
 * bench_snapshot --outputs N...: the per-cycle cost of each output on top
 * of that snapshot line, in the reporter's CPU (this thread's CPU time) and
 * wall time, median of the runs:
 *   json line    snapshot_build() + snapshot_text() (stdout, file:, http)
 *   parse        the line parsed back once (snapshot_line_json()), shared by
 *                prometheus: and otlp: (paid once per cycle with either or both)
 *   prometheus   prom_render(), prom_write_file() (temp file, fsync, rename,
 *                in $TMPDIR)
 *   otlp         otlp_serialize() (what delivery_enqueue() spools; the
 *                spool's own write is the same as http's)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "sched.h"
#include "../../reporter/otlp.h"
#include "../../reporter/prom.h"
#include "../../reporter/snapshot.h"
#include "../../reporter/state.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void fill(struct reporter_state *st, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct wire_device d = { .created = 1 };
		if (i % 2 == 0) {
			d.kind = WIRE_KEY_IPV4;
			d.addr[0] = 198;
			d.addr[1] = (uint8_t)(18 + (i >> 16));
			d.addr[2] = (uint8_t)(i >> 8);
			d.addr[3] = (uint8_t)i;
		} else {
			d.kind = WIRE_KEY_IPV6;
			memcpy(d.addr, "\x20\x01\x0d\xb8\x00\x01", 6);
			d.addr[12] = (uint8_t)(i >> 24);
			d.addr[13] = (uint8_t)(i >> 16);
			d.addr[14] = (uint8_t)(i >> 8);
			d.addr[15] = (uint8_t)i;
		}
		d.rx_bytes = 1000000ULL + i;
		d.tx_bytes = 2000000ULL + i;
		d.rx_packets = 1000 + i;
		d.tx_packets = 2000 + i;
		devtab_update(&st->devices, 42, &d, mono_ns());
	}
	devtab_mark_window(&st->devices);
}

static uint64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

enum { OUT_LINE, OUT_PARSE, OUT_PROM, OUT_OTLP, OUT_N };
static const char *const out_names[OUT_N] = { "json line", "parse", "prometheus", "otlp" };

static void bench_outputs(const struct netmon_config *cfg, unsigned n, const char *prom_path)
{
	struct reporter_state st;
	if (state_init(&st, n ? n : 1) != 0)
		exit(1);
	fill(&st, n);
	st.totals_since_real_ns = realtime_ns() - 3600 * NSEC_PER_SEC;
	enum { RUNS = 21 };
	uint64_t cpu[OUT_N][RUNS], wall[OUT_N][RUNS];
	size_t bytes[OUT_N] = { 0 };
	for (int r = 0; r < RUNS; r++) {
		struct snapshot_clock clk = { 0 };
		clk.reporter_start_mono_ns = mono_ns() - NSEC_PER_SEC;
		clk.window_start_mono_ns = clk.reporter_start_mono_ns;
		clk.window_start_real_ns = realtime_ns() - NSEC_PER_SEC;
		clk.window_end_mono_ns = mono_ns();
		clk.window_end_real_ns = realtime_ns();
		uint64_t c0 = cpu_ns(), w0 = mono_ns();
		json_t *snap = snapshot_build(cfg, &st, &clk, "00000000-0000-4000-8000-000000000000");
		size_t len = 0;
		char *line = snapshot_text(cfg, snap, &st, &clk, &len);
		json_decref(snap);
		uint64_t c1 = cpu_ns(), w1 = mono_ns();
		struct snapshot_line sl = { .text = line, .len = len };
		const json_t *parsed = snapshot_line_json(&sl);
		uint64_t cp = cpu_ns(), wp = mono_ns();
		size_t plen = 0;
		char *prom = prom_render(parsed, &plen);
		if (!prom || prom_write_file(prom_path, prom, plen) != 0)
			exit(1);
		free(prom);
		uint64_t c2 = cpu_ns(), w2 = mono_ns();
		size_t olen = 0;
		char *otlp = otlp_serialize(parsed, &olen);
		if (!otlp)
			exit(1);
		free(otlp);
		uint64_t c3 = cpu_ns(), w3 = mono_ns();
		snapshot_line_release(&sl);
		cpu[OUT_LINE][r] = c1 - c0, wall[OUT_LINE][r] = w1 - w0;
		cpu[OUT_PARSE][r] = cp - c1, wall[OUT_PARSE][r] = wp - w1;
		cpu[OUT_PROM][r] = c2 - cp, wall[OUT_PROM][r] = w2 - wp;
		cpu[OUT_OTLP][r] = c3 - c2, wall[OUT_OTLP][r] = w3 - w2;
		bytes[OUT_LINE] = len, bytes[OUT_PARSE] = len, bytes[OUT_PROM] = plen, bytes[OUT_OTLP] = olen;
		free(line);
	}
	for (int o = 0; o < OUT_N; o++) {
		qsort(cpu[o], RUNS, sizeof(cpu[o][0]), cmp_u64);
		qsort(wall[o], RUNS, sizeof(wall[o][0]), cmp_u64);
		printf("output %-10s with %u devices: CPU median %.3f ms (max %.3f), wall median %.3f ms, "
		       "%zu bytes (%d runs)\n", out_names[o], n, (double)cpu[o][RUNS / 2] / 1e6,
		       (double)cpu[o][RUNS - 1] / 1e6, (double)wall[o][RUNS / 2] / 1e6, bytes[o], RUNS);
	}
	state_free(&st);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_snapshot [--outputs] N...\n");
		return 2;
	}
	if (strcmp(argv[1], "--outputs") == 0) {
		struct netmon_config cfg;
		config_defaults(&cfg);
		snprintf(cfg.server_id, sizeof(cfg.server_id), "bench");
		const char *tmp = getenv("TMPDIR");
		char path[4096];
		snprintf(path, sizeof(path), "%s/bench_snapshot.%d.prom", tmp && *tmp ? tmp : "/tmp",
			 (int)getpid());
		for (int a = 2; a < argc; a++)
			bench_outputs(&cfg, (unsigned)strtoul(argv[a], NULL, 10), path);
		unlink(path);
		return 0;
	}
	struct netmon_config cfg;
	config_defaults(&cfg);
	snprintf(cfg.server_id, sizeof(cfg.server_id), "bench");
	for (int a = 1; a < argc; a++) {
		unsigned n = (unsigned)strtoul(argv[a], NULL, 10);
		struct reporter_state st;
		if (state_init(&st, n ? n : 1) != 0)
			return 1;
		fill(&st, n);
		enum { RUNS = 21 };
		uint64_t t[RUNS];
		size_t len = 0;
		int runs = n > 10000 ? 7 : RUNS;
		for (int r = 0; r < runs; r++) {
			struct snapshot_clock clk = { 0 };
			clk.reporter_start_mono_ns = mono_ns() - NSEC_PER_SEC;
			clk.window_start_mono_ns = clk.reporter_start_mono_ns;
			clk.window_start_real_ns = realtime_ns() - NSEC_PER_SEC;
			uint64_t t0 = mono_ns();
			clk.window_end_mono_ns = t0;
			clk.window_end_real_ns = realtime_ns();
			json_t *snap = snapshot_build(&cfg, &st, &clk, "00000000-0000-4000-8000-000000000000");
			char *text = snapshot_text(&cfg, snap, &st, &clk, &len);
			t[r] = mono_ns() - t0;
			free(text);
			json_decref(snap);
		}
		qsort(t, (size_t)runs, sizeof(t[0]), cmp_u64);
		printf("snapshot with %u devices: build+serialize median %.3f ms, max %.3f ms "
		       "(%d runs), %zu bytes of JSON\n", n, (double)t[runs / 2] / 1e6,
		       (double)t[runs - 1] / 1e6, runs, len);
		state_free(&st);
	}
	return 0;
}
