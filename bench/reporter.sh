#!/bin/sh
# The reporter's own costs (issue 10), runnable alone (as root for part 2):
#  1. time to build and serialize one snapshot with 10, 1,000 and 65,536
#     devices (tests/tools/bench_snapshot; target <= 1 ms for 1,000), and the
#     cost per cycle of each output with 10, 1,000 and 65,536 devices in the
#     reporter's CPU (JSON line; prometheus: device view + render + textfile
#     write; otlp: device view + body; target <= 1 ms each for 1,000), each
#     beside what it cost rendered from the parsed payload line instead
#     (bench_snapshot --outputs, issue 13);
#  2. the running reporter in steady state, in a network namespace this script
#     creates (loopback only): RSS and CPU per cycle with stdout only, and with
#     the http output (spool write + fsync + POST per cycle, to a local test
#     receiver), each over BENCH_REPORTER_SECS (30) one-second cycles.
# Results are appended to build/bench/results.txt.
set -eu
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
SECS=${BENCH_REPORTER_SECS:-30}
RESULTS=build/bench/results.txt
mkdir -p build/bench
say() { echo "$*" | tee -a "$RESULTS"; }

[ -x build/tools/bench_snapshot ] && [ -x build/netmon-reporter ] || { echo "run make first" >&2; exit 1; }
build/tools/bench_snapshot 10 1000 65536 | while read -r line; do say "reporter: $line"; done
TMPDIR=build/bench build/tools/bench_snapshot --outputs 10 1000 65536 | while read -r line; do say "reporter: $line"; done

if [ "$(id -u)" -ne 0 ]; then
	say "reporter steady state: skipped (needs root for the namespace)"
	exit 0
fi
NS=nmt-benchrep-$$
tmp=$(mktemp -d /tmp/nmt-benchrep.XXXXXX)
chmod 755 "$tmp"
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null || true; done
	for p in $pids; do wait "$p" 2>/dev/null || true; done
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$NS"
ip -n "$NS" link set lo up

echo ok >"$tmp/mode"
ip netns exec "$NS" $PY tests/integration/api_receiver.py --port 8080 --log "$tmp/api.jsonl" \
	--mode-file "$tmp/mode" >/dev/null &
pids="$pids $!"
sleep 1

ticks=$(getconf CLK_TCK)
run_one() { # label outputs
	local label=$1 outputs=$2 conf=$tmp/$1.conf pid t0 c0 c1 rss hwm
	cat >"$conf" <<EOF2
[agent]
server_id = bench
interface = lo
networks = 198.18.0.0/15
cycle_seconds = 1
run_dir = $tmp/run-$label
state_dir = $tmp/state-$label
user = nobody
log_level = warning
[reporter]
api_url = http://127.0.0.1:8080/
outputs = $outputs
EOF2
	chmod 644 "$conf"
	NETMON_API_KEY=bench ip netns exec "$NS" build/netmon-reporter -c "$conf" >/dev/null 2>"$tmp/$label.log" &
	pid=$!
	pids="$pids $pid"
	sleep 3  # past start-up
	c0=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
	sleep "$SECS"
	c1=$(awk '{ print $14 + $15 }' /proc/$pid/stat)
	rss=$(awk '/^VmRSS/ { print $2 }' /proc/$pid/status)
	hwm=$(awk '/^VmHWM/ { print $2 }' /proc/$pid/status)
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	$PY - "$label" "$c0" "$c1" "$ticks" "$SECS" "$rss" "$hwm" <<'EOF2' | tee -a "$RESULTS"
import sys
label, c0, c1, tck, secs, rss, hwm = sys.argv[1], *map(float, sys.argv[2:])
cpu = (c1 - c0) / tck
print("reporter steady state (%s, 1 s cycle, %d cycles): CPU %.2f ms per cycle (%.3f %% of a core), "
      "RSS %.1f MiB (peak %.1f MiB)" % (label, secs, cpu / secs * 1000, cpu / secs * 100, rss / 1024, hwm / 1024))
EOF2
}
run_one stdout stdout
run_one http "http, stdout"
n=$($PY tests/integration/deliveries.py count "$tmp/api.jsonl")
say "reporter steady state: the test API received $n snapshots"
: >"$tmp/api.jsonl"
mkdir -p "$tmp/prom" && chown nobody "$tmp/prom"
run_one all "http, stdout, prometheus:$tmp/prom/netmon.prom, otlp:http://127.0.0.1:8080/v1/metrics"
n=$($PY tests/integration/otlp_deliveries.py count "$tmp/api.jsonl")
say "reporter steady state: the test receiver answered $n requests (http and otlp) in the run with every output"
