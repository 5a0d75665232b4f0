#!/bin/sh
# make bench, sysd section (also runnable alone: sh bench/sysd.sh).
#  1. CPU time of one complete sample, side by side: netmon-sysd's sampler
#     (bench/sysd_bench.c: every file, the rtnetlink dump, statvfs of each
#     local file system, the three records encoded) against psutil collecting
#     the same values in a loop inside one Python process (bench/sysd_psutil.py).
#     Target: sysd >= 10x cheaper.
#  2. netmon-sysd's resident memory in steady state: the daemon with a
#     reporter, one sample a second, VmRSS after BENCH_SYSD_SECONDS (target
#     <= 2 MiB). Only Unix sockets in a private directory: no network traffic.
# Knobs: BENCH_SYSD_SAMPLES (20000), BENCH_PSUTIL_SAMPLES (2000),
# BENCH_SYSD_SECONDS (8). Results appended to build/bench/results.txt.
set -eu
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
SAMPLES=${BENCH_SYSD_SAMPLES:-20000}
PS_SAMPLES=${BENCH_PSUTIL_SAMPLES:-2000}
SECONDS_RSS=${BENCH_SYSD_SECONDS:-8}
BIN=build/bench/sysd_bench
RESULTS=build/bench/results.txt
mkdir -p build/bench

[ -x build/netmon-sysd ] && [ -x build/netmon-reporter ] ||
	{ echo "bench/sysd.sh: build/netmon-sysd missing (make first)" >&2; exit 1; }
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -iquote common -iquote . -o "$BIN" bench/sysd_bench.c \
	sysd/cpu.c sysd/mem.c sysd/mounts.c sysd/netif.c sysd/pfile.c sysd/report.c \
	sysd/sample.c sysd/scan.c sysd/uptime.c common/log.c common/sched.c common/text.c \
	common/wire.c common/link.c common/netmon.c common/ifstat.c common/sandbox.c \
	$(pkg-config --libs libseccomp)

tmp=$(mktemp -d /tmp/nmt-bench-sysd.XXXXXX)
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

field() { echo "$1" | awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }

sysd_out=$(timeout 300 "$BIN" "$SAMPLES")
ps_out=$(timeout 300 "$PY" bench/sysd_psutil.py "$PS_SAMPLES")
sysd_us=$(field "$sysd_out" cpu_us_per_sample)
ps_us=$(field "$ps_out" cpu_us_per_sample)

# steady state RSS of the daemon (with a reporter to talk to)
chmod 755 "$tmp"
user=nobody
id "$user" >/dev/null 2>&1 || user=$(id -un)
cat >"$tmp/netmon.conf" <<EOC
[agent]
server_id = bench
cycle_seconds = 1
run_dir = $tmp/run
state_dir = $tmp/state
user = $user
[reporter]
outputs = file:$tmp/snapshots.jsonl
EOC
chmod 644 "$tmp/netmon.conf"
build/netmon-reporter -c "$tmp/netmon.conf" 2>"$tmp/reporter.log" &
pids="$pids $!"
n=0
while [ ! -S "$tmp/run/sysd.sock" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
build/netmon-sysd -c "$tmp/netmon.conf" 2>"$tmp/sysd.log" &
sysd_pid=$!
pids="$pids $sysd_pid"
sleep "$SECONDS_RSS"
rss_kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$sysd_pid/status")
hwm_kib=$(awk '/^VmHWM:/ { print $2 }' "/proc/$sysd_pid/status")
anon_kib=$(awk '/^RssAnon:/ { print $2 }' "/proc/$sysd_pid/status")
file_kib=$(awk '/^RssFile:/ { print $2 }' "/proc/$sysd_pid/status")
pss_kib=$(awk '/^Pss:/ { print $2 }' "/proc/$sysd_pid/smaps_rollup" 2>/dev/null || echo "?")
cpu_ticks=$(awk '{ print $14 + $15 }' "/proc/$sysd_pid/stat")

{
	echo "== sysd ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(nproc) CPUs, kernel $(uname -r)) =="
	printf '%-34s %12s\n' "one complete sample" "CPU us"
	printf '%-34s %12s\n' "netmon-sysd sampler ($SAMPLES samples)" "$sysd_us"
	printf '%-34s %12s\n' "psutil loop ($PS_SAMPLES samples)" "$ps_us"
	echo "$sysd_us $ps_us" | awk '{ printf "%-34s %11.1fx  (target >= 10x)\n", "psutil / sysd", $2 / $1 }'
	echo "$rss_kib $hwm_kib" | awk '{ printf "%-34s %8.2f MiB  (peak %.2f MiB; target <= 2 MiB)\n", "netmon-sysd RSS, steady state", $1 / 1024, $2 / 1024 }'
	echo "  of which private (RssAnon) ${anon_kib} KiB, shared library pages (RssFile) ${file_kib} KiB; PSS ${pss_kib} KiB"
	echo "netmon-sysd daemon CPU over ${SECONDS_RSS} s at 1 sample/s: $cpu_ticks clock ticks"
	echo "(sysd: $sysd_out)"
	echo "(psutil: $ps_out)"
} | tee -a "$RESULTS"
