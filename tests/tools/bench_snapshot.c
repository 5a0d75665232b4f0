/*
 * bench_snapshot N...: time to build and serialize one snapshot (SPEC §7)
 * with N devices, the reporter's per-cycle work: snapshot_build() over a
 * devtab holding N keys (half IPv4, half IPv6 beyond 256), then json_dumps()
 * as emit_snapshot does. Prints one line per N: median and max of the runs,
 * and the JSON size. Used by bench/reporter.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "sched.h"
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

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_snapshot N...\n");
		return 2;
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
