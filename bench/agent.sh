#!/bin/sh
# The whole agent at rest (issue 10's targets): the four daemons, as root
# started and dropped, on a quiet 50-host namespace LAN (tests/integration/
# arpd_lan.sh: hosts only answer ARP), a 5 s cycle, stdout output. After a
# warm-up, measures over BENCH_AGENT_SECONDS (60):
#   - RSS of each process and of the four together, capd's packet ring left out
#     (its mapping's resident pages, from /proc/PID/smaps; the ring's size is
#     printed beside it): target <= 24 MiB together;
#   - CPU (utime + stime) of the four together as a share of one core:
#     target <= 0.5 %.
# Runnable alone: sh bench/agent.sh (root, after make).
set -eu
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
BIN=build
HOSTS=${BENCH_AGENT_HOSTS:-50}
SECONDS_=${BENCH_AGENT_SECONDS:-60}
RESULTS=build/bench/agent.txt
for r in capd arpd sysd reporter; do
	[ -x "$BIN/netmon-$r" ] || { echo "bench/agent.sh: $BIN/netmon-$r missing (make)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "bench/agent.sh: needs root (network namespaces)"; exit 0; }
. tests/integration/arpd_lan.sh

T=nA$$
tmp=$(mktemp -d /tmp/nmt-bench-agent.XXXXXX)
PIDS=""
cleanup() {
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	lan_down
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
mkdir -p build/bench
: >"$RESULTS"
say() { echo "$*" | tee -a "$RESULTS"; }

lan_up "$T" "$HOSTS" 0
chmod 755 "$tmp"
cat >"$tmp/netmon.conf" <<CONF
[agent]
interface = scan0
networks = 198.18.0.0/24
cycle_seconds = 5
run_dir = $tmp/run
state_dir = $tmp/state
user = nobody
[reporter]
outputs = stdout
CONF
start() { # ROLE
	ip netns exec "${T}s" "$BIN/netmon-$1" -c "$tmp/netmon.conf" >>"$tmp/$1.out" 2>>"$tmp/$1.log" &
	PIDS="$PIDS $!"
	eval "PID_$1=\$!"
}
start reporter
i=0
until [ -S "$tmp/run/capd.sock" ]; do
	i=$((i + 1)); [ $i -lt 50 ] || { echo "the reporter did not start"; cat "$tmp/reporter.log"; exit 1; }
	sleep 0.1
done
start sysd; start arpd; start capd
sleep 15   # connected, the start-up sweep done, two snapshots out

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# the resident KiB of capd's packet ring: its one large shared mapping of the
# capture socket (shows as "socket:[...]" or unnamed, MAP_SHARED) in smaps
ring_kib() {
	"$PY" - "$1" <<'PYEOF'
import sys
best = 0
cur_size = cur_rss = 0
shared = False
for line in open("/proc/%s/smaps" % sys.argv[1]):
    f = line.split()
    if "-" in f[0] and len(f) >= 5:
        if shared:
            best = max(best, cur_rss)
        shared = f[1][3] == "s"
        cur_rss = 0
    elif f[0] == "Rss:":
        cur_rss = int(f[1])
if shared:
    best = max(best, cur_rss)
print(best)
PYEOF
}
t0=0
for r in capd arpd sysd reporter; do eval "c0_$r=\$(cpu_ticks \$PID_$r)"; done
sleep "$SECONDS_"
total_rss=0 total_ticks=0
for r in capd arpd sysd reporter; do
	eval "pid=\$PID_$r; c0=\$c0_$r"
	kill -0 "$pid" 2>/dev/null || { echo "$r exited"; tail -n 5 "$tmp/$r.log"; exit 1; }
	rss=$(rss_kib "$pid")
	ticks=$(( $(cpu_ticks "$pid") - c0 ))
	note=""
	if [ "$r" = capd ]; then
		ring=$(ring_kib "$pid")
		note=" (RSS $rss KiB of which $ring KiB resident in the packet ring, left out; ring $(sed -n 's/.*ring \([0-9]*\) bytes.*/\1/p' "$tmp/capd.log" | head -n 1) bytes)"
		rss=$((rss - ring))
	fi
	say "$r: RSS $rss KiB, CPU $ticks ticks in ${SECONDS_} s$note"
	total_rss=$((total_rss + rss))
	total_ticks=$((total_ticks + ticks))
done
hz=$(getconf CLK_TCK)
say "$(awk -v r="$total_rss" -v t="$total_ticks" -v hz="$hz" -v s="$SECONDS_" -v h="$HOSTS" 'BEGIN {
	printf "whole agent on a quiet %d-host LAN, 5 s cycle: RSS %.1f MiB together (target <= 24 MiB), CPU %.3f %% of one core (target <= 0.5 %%)", h, r / 1024, 100 * t / hz / s }')"
