/*
 * bench_snapshot N...: time to build and serialize one snapshot (SPEC §7)
 * with N devices, the reporter's per-cycle work: snapshot_build() over a
 * devtab holding N keys (half IPv4, half IPv6 beyond 256), then json_dumps()
 * as emit_snapshot does. Prints one line per N: median and max of the runs,
 * and the JSON size. Used by bench/reporter.sh.
 *
 * bench_snapshot --outputs N...: the per-cycle cost of each output, in the
 * reporter's CPU (this thread's CPU time, kernel time included) and wall
 * time, median of the runs. The IPv4 half of the devices is also in arpd's
 * table (MAC, vendor, mDNS and DHCP names, one in 50 with quotes, a
 * backslash and UTF-8), so labels are as long as on a real LAN. Each output counts everything it costs per cycle:
 *   json line    snapshot_build() + snapshot_text() (stdout, file:, http)
 *   prometheus   the device view (made once per cycle for prometheus: and
 *                otlp: together, in the payload's own walk: what
 *                snapshot_line_make() costs beyond snapshot_text()) +
 *                prom_render_buf() + prom_write_file() (temp file, fsync,
 *                rename, in $TMPDIR)
 *   otlp         the device view + otlp_serialize_buf() (the body
 *                delivery_enqueue() spools; the spool's write is http's)
 * and, side by side, what the same output cost when it was rendered from the
 * payload line (parsed back with jansson, then rendered from the JSON: the
 * path before the direct renderers, still what tools use).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "sched.h"
#include "tests/unit/arpfeed.h"
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

/* arpd's table for the IPv4 half of the devices fill() made */
static void fill_arp(struct reporter_state *st, unsigned n)
{
	unsigned na = (n + 1) / 2 < ARPVIEW_MAX_DEVICES ? (n + 1) / 2 : ARPVIEW_MAX_DEVICES;
	struct wire_arp_device *a = calloc(na ? na : 1, sizeof(*a));
	if (!a)
		exit(1);
	for (unsigned k = 0; k < na; k++) {
		unsigned i = 2 * k;
		uint8_t addr[4] = { 198, (uint8_t)(18 + (i >> 16)), (uint8_t)(i >> 8), (uint8_t)i };
		arpfeed_device(&a[k], addr, i, "Example Networks Inc.");
		if (k % 50 == 0)        /* now and then a name that needs escaping */
			snprintf(a[k].names[1].name, sizeof(a[k].names[1].name), "k\xc3\xbc" "che \"%u\"\\", i);
	}
	if (arpfeed(&st->arp, a, na, 1) != 0) {
		fprintf(stderr, "bench_snapshot: arpview refused the device table\n");
		exit(1);
	}
	free(a);
}

enum { OUT_LINE, OUT_PROM, OUT_OTLP, OUT_VIEW, OUT_PROM_PARSED, OUT_OTLP_PARSED, OUT_N };
enum { RUNS_MAX = 21 };

static double median_ms(uint64_t *v, int runs)
{
	qsort(v, (size_t)runs, sizeof(v[0]), cmp_u64);
	return (double)v[runs / 2] / 1e6;
}

static double max_ms(const uint64_t *v, int runs)
{
	return (double)v[runs - 1] / 1e6;   /* sorted by median_ms */
}

static void bench_outputs(const struct netmon_config *cfg, unsigned n, const char *prom_path)
{
	struct reporter_state st;
	if (state_init(&st, n ? n : 1) != 0)
		exit(1);
	fill(&st, n);
	fill_arp(&st, n);
	st.totals_since_real_ns = realtime_ns() - 3600 * NSEC_PER_SEC;
	int runs = n > 10000 ? 7 : RUNS_MAX;
	uint64_t cpu[OUT_N][RUNS_MAX], wall[OUT_N][RUNS_MAX];
	size_t bytes[OUT_N] = { 0 };
	/* what the reporter keeps from cycle to cycle */
	struct textbuf prom = { 0 }, otlp = { 0 };
	struct netmon_config metric_cfg = *cfg;     /* with a metric output: the view is made */
	metric_cfg.n_outputs = 1;
	metric_cfg.outputs[0].kind = OUTPUT_PROMETHEUS;
	for (int r = 0; r < runs; r++) {
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
		if (!line)
			exit(1);
		uint64_t c1 = cpu_ns(), w1 = mono_ns();
		/* the same line as the reporter makes it with a metric output on: the
		 * device view comes with it, from the same walk. Its cost is the
		 * difference to the line made without one, both timed now (warm),
		 * in turns so neither gains from going second. */
		struct snapshot_line sl, plain;
		uint64_t cv[2], wv[2];
		for (int k = 0; k < 2; k++) {
			bool with = (k + r) % 2 == 0;
			uint64_t ck = cpu_ns(), wk = mono_ns();
			if (snapshot_line_make(with ? &sl : &plain, with ? &metric_cfg : cfg, snap, &st,
					       &clk) != 0)
				exit(1);
			cv[with] = cpu_ns() - ck, wv[with] = mono_ns() - wk;
		}
		snapshot_line_release(&plain);
		const struct metric_source *src = snapshot_line_metrics(&sl);
		if (!src || !sl.devices_ready || sl.len != len)
			exit(1);
		uint64_t view_cpu = cv[1] > cv[0] ? cv[1] - cv[0] : 0;
		uint64_t view_wall = wv[1] > wv[0] ? wv[1] - wv[0] : 0;
		uint64_t c2 = cpu_ns(), w2 = mono_ns();
		tb_clear(&prom);
		if (!prom_render_buf(&prom, src) || prom_write_file(prom_path, prom.p, prom.len) != 0)
			exit(1);
		uint64_t c3 = cpu_ns(), w3 = mono_ns();
		tb_clear(&otlp);
		if (!otlp_serialize_buf(&otlp, src))
			exit(1);
		uint64_t c4 = cpu_ns(), w4 = mono_ns();
		snapshot_line_release(&sl);
		json_decref(snap);

		/* the path before: the payload line parsed back, rendered from the JSON */
		json_t *parsed = json_loadb(line, len, 0, NULL);
		uint64_t c5 = cpu_ns(), w5 = mono_ns();
		size_t plen = 0, olen = 0;
		char *p = parsed ? prom_render(parsed, &plen) : NULL;
		if (!p || prom_write_file(prom_path, p, plen) != 0)
			exit(1);
		uint64_t c6 = cpu_ns(), w6 = mono_ns();
		char *o = otlp_serialize(parsed, &olen);
		if (!o)
			exit(1);
		uint64_t c7 = cpu_ns(), w7 = mono_ns();
		free(p);
		free(o);
		json_decref(parsed);

		cpu[OUT_LINE][r] = c1 - c0, wall[OUT_LINE][r] = w1 - w0;
		cpu[OUT_VIEW][r] = view_cpu, wall[OUT_VIEW][r] = view_wall;
		cpu[OUT_PROM][r] = view_cpu + (c3 - c2), wall[OUT_PROM][r] = view_wall + (w3 - w2);
		cpu[OUT_OTLP][r] = view_cpu + (c4 - c3), wall[OUT_OTLP][r] = view_wall + (w4 - w3);
		cpu[OUT_PROM_PARSED][r] = c6 - c4, wall[OUT_PROM_PARSED][r] = w6 - w4;
		cpu[OUT_OTLP_PARSED][r] = (c5 - c4) + (c7 - c6), wall[OUT_OTLP_PARSED][r] = (w5 - w4) + (w7 - w6);
		bytes[OUT_LINE] = len, bytes[OUT_PROM] = prom.len, bytes[OUT_OTLP] = otlp.len;
		bytes[OUT_PROM_PARSED] = plen, bytes[OUT_OTLP_PARSED] = olen;
		free(line);
	}
	static const char *const names[OUT_N] = { "json line", "prometheus", "otlp", "", "", "" };
	for (int k = OUT_LINE; k <= OUT_OTLP; k++) {
		double med = median_ms(cpu[k], runs);    /* sorts: max_ms after it */
		printf("output %-10s with %u devices: CPU median %.3f ms (max %.3f), wall median %.3f ms, "
		       "%zu bytes (%d runs)", names[k], n, med, max_ms(cpu[k], runs),
		       median_ms(wall[k], runs), bytes[k], runs);
		if (k == OUT_LINE) {
			printf("\n");
			continue;
		}
		int old = k == OUT_PROM ? OUT_PROM_PARSED : OUT_OTLP_PARSED;
		printf("; rendered from the parsed payload line instead: CPU median %.3f ms%s%s\n",
		       median_ms(cpu[old], runs), bytes[old] == bytes[k] ? ", same size" : ", SIZE DIFFERS",
		       n != 1000 ? "" : med <= 1.0 ? "; target <= 1 ms: met" : "; target <= 1 ms: NOT met");
	}
	printf("output device view with %u devices (in prometheus and otlp above: made once per "
	       "cycle for both, in the payload's walk): CPU median %.3f ms\n", n,
	       median_ms(cpu[OUT_VIEW], runs));
	tb_free(&prom);
	tb_free(&otlp);
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
