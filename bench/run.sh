#!/bin/sh
# make bench: capd against its floor and against other tools, on traffic made
# on the fly by tests/pcap/gen/gen_traffic.py (nothing is downloaded or kept).
#
#  1. offline, side by side on the same 1-million-frame file: a libpcap read loop
#     with an empty callback (the floor, bench/pcap_floor.c), netmon-capd --read
#     --dump (its own pcap reader), the same through libpcap's reader
#     (capd-libpcap), the same records as pcapng (capd-pcapng, capd's pcapng
#     reader; when editcap is there), darkstat -r, tshark -q -z endpoints,ip.
#     Wall time from hyperfine, CPU and peak RSS from /usr/bin/time. Targets
#     (issue 14): capd >= 1.0x the floor's packet rate and >= 15x darkstat's.
#     The file has every traffic class, PPPoE and MPLS included.
#  2. memory: peak RSS of capd --read with 65536 table slots for a file with ~200
#     distinct addresses and one with > 2 million (target <= 16 MiB for both).
#  3. live, as root only, inside a network namespace this script creates (a veth
#     pair, nothing else): tcpreplay --topspeed the file (full-length frames) into
#     one end, capture on the other once with capd (with the reporter) and once
#     with tcpdump -s SNAPLEN -w /dev/null (capd's snaplen: the headline) and
#     with tcpdump -w /dev/null (full snaplen, for information), every capturer
#     pinned the same way (BENCH_PIN). CPU seconds per million frames (target
#     capd <= 1.0x tcpdump -s SNAPLEN, issue 15) and drops (target 0).
#
# Knobs (environment): BENCH_PACKETS (1000000), BENCH_RUNS (5 for fast tools;
# darkstat and tshark get 3), BENCH_SNAPLEN (128: the snaplen of the offline file,
# capd's default live snaplen), BENCH_BIG_HOSTS (1100000), BENCH_LIVE_LOOPS (5:
# the live file is replayed that many times, so that the capture's CPU time is
# well above measurement noise), BENCH_SKIP_LIVE=1, BENCH_ONLY=offline (section 1
# alone: the steadiest numbers on a busy machine), BENCH_ONLY=live (section 3
# alone, without the offline table of the live file), BENCH_PIN ("1 0": the
# capturer on CPU 1, tcpreplay on CPU 0, for every capturer alike; "none" to
# let the scheduler place them; a one-CPU machine is never pinned),
# BENCH_PROFILE=DIR (perf record of each capturer during its replay, to
# DIR/NAME.data; the CPU numbers of such a run include perf's own cost).
# The results are also written to build/bench/results.txt.
set -eu
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
GEN=tests/pcap/gen/gen_traffic.py
CAPD=build/netmon-capd
REPORTER=build/netmon-reporter
FLOOR=build/bench/pcap_floor
PACKETS=${BENCH_PACKETS:-1000000}
RUNS=${BENCH_RUNS:-5}
SLOW_RUNS=3
SNAPLEN=${BENCH_SNAPLEN:-128}
BIG_HOSTS=${BENCH_BIG_HOSTS:-1100000}
LIVE_LOOPS=${BENCH_LIVE_LOOPS:-5}
NETS=198.18.0.0/15,2001:db8:1::/64
RESULTS=build/bench/results.txt

NS=nmt-bench-$$
tmp=$(mktemp -d /tmp/nmt-bench.XXXXXX)
pids=""
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null || true
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || true
	done
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p build/bench
: >"$RESULTS"
say() { echo "$*" | tee -a "$RESULTS"; }

for tool in hyperfine darkstat tshark; do
	command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is not installed" >&2; exit 1; }
done
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is not installed" >&2; exit 1; }
[ -x "$CAPD" ] || { echo "bench: $CAPD missing (make first)" >&2; exit 1; }

# shellcheck disable=SC2046
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -o "$FLOOR" bench/pcap_floor.c \
	$(pkg-config --cflags --libs libpcap)

say "netmon bench, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), kernel $(uname -r)"
say "tools: $(tshark --version 2>/dev/null | head -n 1); $(darkstat --version 2>&1 | head -n 1); $(tcpdump --version 2>&1 | head -n 1); $(tcpreplay --version 2>&1 | head -n 1)"
say ""

# ---- 1. offline ----------------------------------------------------------------
gen_stats() { # log -> "N frames ... MACs ... IPs" summary line
	sed -n 's/^gen_traffic: \([^;]*\);.*/\1/p' "$1"
}

if [ "${BENCH_ONLY:-}" != live ]; then
say "== offline: $PACKETS frames, snaplen $SNAPLEN (generated: seed 1, 50 hosts, every traffic class)"
$PY "$GEN" --out "$tmp/read.pcap" --expected "$tmp/read.jsonl" --packets "$PACKETS" \
	--snaplen "$SNAPLEN" --seed 1 --hosts 50 --networks "$NETS" 2>"$tmp/read.gen"
say "file: $(gen_stats "$tmp/read.gen"), $(($(stat -c %s "$tmp/read.pcap") / 1048576)) MiB"
# A benchmark of a wrong program means nothing: the counters must be exact first.
"$CAPD" --read "$tmp/read.pcap" --networks "$NETS" --dump | sort >"$tmp/read.got"
if ! sort "$tmp/read.jsonl" | cmp -s - "$tmp/read.got"; then
	echo "bench: capd --dump differs from the expected counters; not benchmarking" >&2
	exit 1
fi

# time_one NAME RUNS CMD... : appends "name mean sd user sys rss_kib" to $tmp/rows
time_one() {
	name=$1 runs=$2
	shift 2
	hyperfine -N --warmup 1 --runs "$runs" --style none --export-json "$tmp/h.json" \
		-- "$*" >/dev/null 2>"$tmp/hyperfine.err" || { cat "$tmp/hyperfine.err" >&2; exit 1; }
	/usr/bin/time -f '%U %S %M' -o "$tmp/time.out" "$@" >/dev/null 2>"$tmp/time.err" || {
		cat "$tmp/time.err" >&2
		exit 1
	}
	$PY - "$tmp/h.json" "$tmp/time.out" "$name" >>"$tmp/rows" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
user, sys_, rss = open(sys.argv[2]).read().split()[-3:]
# CPU seconds: hyperfine's mean over the runs (user + system), finer than
# /usr/bin/time's 10 ms ticks of one run; /usr/bin/time gives the peak RSS.
print(sys.argv[3], r["mean"], r["stddev"] or 0, r["user"], r["system"], rss)
EOF
}

# as_libpcap_file IN OUT: the same records with a version 2.3 header, which
# capd's own reader leaves to libpcap's (capd/pcapfile.h): "capd-libpcap" is
# capd with libpcap reading the file, the decoding and accounting unchanged.
# (2.3 files may hold swapped lengths; libpcap swaps only when caplen > len,
# which no generated record has, and --dump must be exact to be timed.)
as_libpcap_file() {
	cp "$1" "$2"
	printf '\003' | dd of="$2" bs=1 seek=6 conv=notrunc status=none
}

offline_table() { # pcap targets|info: "info" prints the ratios without targets
	f=$1 kind=$2
	as_libpcap_file "$f" "$tmp/libpcap.pcap"
	"$CAPD" --read "$tmp/libpcap.pcap" --networks "$NETS" --dump | sort >"$tmp/libpcap.got"
	"$CAPD" --read "$f" --networks "$NETS" --dump | sort | cmp -s - "$tmp/libpcap.got" || {
		echo "bench: capd gives other counters through libpcap's reader" >&2
		exit 1
	}
	: >"$tmp/rows"
	time_one floor "$RUNS" "$FLOOR" "$f"
	time_one capd "$RUNS" "$CAPD" --read "$f" --networks "$NETS" --dump
	time_one capd-libpcap "$RUNS" "$CAPD" --read "$tmp/libpcap.pcap" --networks "$NETS" --dump
	if command -v editcap >/dev/null 2>&1; then
		editcap -F pcapng "$f" "$tmp/read.pcapng"
		"$CAPD" --read "$tmp/read.pcapng" --networks "$NETS" --dump | sort |
			cmp -s - "$tmp/libpcap.got" || {
			echo "bench: capd gives other counters through its pcapng reader" >&2
			exit 1
		}
		time_one capd-pcapng "$RUNS" "$CAPD" --read "$tmp/read.pcapng" --networks "$NETS" --dump
		rm -f "$tmp/read.pcapng"
	fi
	time_one darkstat "$SLOW_RUNS" darkstat -r "$f" --no-daemon --no-dns
	time_one tshark "$SLOW_RUNS" tshark -n -r "$f" -q -z endpoints,ip
	$PY - "$tmp/rows" "$PACKETS" "$kind" <<'EOF' | tee -a "$RESULTS"
import sys
rows = {}
order = []
for line in open(sys.argv[1]):
    name, mean, sd, user, sys_, rss = line.split()
    rows[name] = (float(mean), float(sd), float(user), float(sys_), int(rss))
    order.append(name)
n = int(sys.argv[2])
print("%-12s %12s %14s %10s %12s" % ("tool", "wall s", "frames/s", "CPU s", "max RSS MiB"))
for name in order:
    mean, sd, user, sys_, rss = rows[name]
    print("%-12s %7.3f±%.3f %14s %10.3f %12.1f"
          % (name, mean, sd, format(int(n / mean), ","), user + sys_, rss / 1024))
rate = {k: n / v[0] for k, v in rows.items()}
def target(t):
    return "  (target %s)" % t if sys.argv[3] == "targets" else ""
print("capd / floor    = %.2f%s" % (rate["capd"] / rate["floor"], target(">= 1.0")))
print("capd-libpcap / floor = %.2f  (capd with libpcap reading the file)"
      % (rate["capd-libpcap"] / rate["floor"]))
if "capd-pcapng" in rate:
    print("capd-pcapng / floor = %.2f  (the same records as pcapng, capd's pcapng reader)"
          % (rate["capd-pcapng"] / rate["floor"]))
print("capd / darkstat = %.1f%s" % (rate["capd"] / rate["darkstat"], target(">= 15")))
print("capd / tshark   = %.1f" % (rate["capd"] / rate["tshark"]))
# On a loaded machine wall time includes waiting for a CPU: the same ratios
# by CPU time (mean user + system seconds) say what each program costs.
cpu = {k: v[2] + v[3] for k, v in rows.items()}
if cpu["capd"] > 0:
    print("by CPU time: capd / floor = %.2f, capd / darkstat = %.1f"
          % (cpu["floor"] / cpu["capd"], cpu["darkstat"] / cpu["capd"]))
EOF
}
offline_table "$tmp/read.pcap" targets
say ""
if [ "${BENCH_ONLY:-}" = offline ]; then
	exit 0
fi

# ---- 2. memory -----------------------------------------------------------------
say "== memory: peak RSS of capd --read --max-devices 65536 --dump"
rss_mib() { # pcap -> peak RSS in MiB, one decimal
	/usr/bin/time -f '%M' -o "$tmp/rss" "$CAPD" --read "$1" --networks "$NETS" \
		--max-devices 65536 --dump >/dev/null
	awk '{ v = $1 } END { printf "%.1f", v / 1024 }' "$tmp/rss"
}
$PY "$GEN" --out "$tmp/few.pcap" --packets 200000 --hosts 65 --snaplen "$SNAPLEN" --seed 3 \
	--networks "$NETS" --no-self-check 2>"$tmp/few.gen"
say "few:  $(gen_stats "$tmp/few.gen"): max RSS $(rss_mib "$tmp/few.pcap") MiB"
rm -f "$tmp/few.pcap"
$PY "$GEN" --out "$tmp/many.pcap" --packets $((BIG_HOSTS * 3 / 2)) --hosts "$BIG_HOSTS" \
	--snaplen "$SNAPLEN" --seed 4 --networks "$NETS" --no-self-check 2>"$tmp/many.gen"
say "many: $(gen_stats "$tmp/many.gen"): max RSS $(rss_mib "$tmp/many.pcap") MiB"
rm -f "$tmp/many.pcap"
say "(target <= 16 MiB for both)"
say ""
fi   # BENCH_ONLY != live

# ---- 3. live -------------------------------------------------------------------
if [ "${BENCH_SKIP_LIVE:-0}" = 1 ]; then
	say "== live: skipped (BENCH_SKIP_LIVE=1)"
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	say "== live: skipped: needs root (network namespace, veth, tcpreplay)"
	exit 0
fi
for tool in tcpreplay tcpdump ip; do
	command -v "$tool" >/dev/null 2>&1 || { say "== live: skipped: $tool not installed"; exit 0; }
done

LIVE_FRAMES=$((PACKETS * LIVE_LOOPS))
say "== live: tcpreplay --topspeed --loop $LIVE_LOOPS, $PACKETS full-length frames, veth pair in netns $NS"
$PY "$GEN" --out "$tmp/live.pcap" --expected "$tmp/live.jsonl" --packets "$PACKETS" \
	--snaplen 65535 --seed 2 --hosts 50 --profile live --networks "$NETS" 2>"$tmp/live.gen"
say "file: $(gen_stats "$tmp/live.gen"), $(($(stat -c %s "$tmp/live.pcap") / 1048576)) MiB"
if [ "${BENCH_ONLY:-}" != live ]; then
	say "(the offline tools on this full-length file, for information: the targets are"
	say " set on the snaplen-$SNAPLEN file above; here every tool moves 5x more bytes)"
	offline_table "$tmp/live.pcap" info
fi

# The same CPU placement for every capturer: softirq work of the veth path is
# charged to whichever task runs on the CPU where it happens, so a capturer that
# shares tcpreplay's CPU in one run and not in the next is not compared fairly.
PIN=${BENCH_PIN:-1 0}
CAP_PIN="" REPLAY_PIN=""
if [ "$PIN" != none ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null 2>&1; then
	set -- $PIN
	CAP_PIN="taskset -c $1" REPLAY_PIN="taskset -c $2"
	say "pinning: capturers on CPU $1, tcpreplay on CPU $2 (BENCH_PIN)"
fi

ip netns add "$NS"
ip -n "$NS" link add nmtb0 type veth peer name nmtb1
for i in nmtb0 nmtb1; do
	# no addresses, no IPv6: nothing but the replayed frames crosses the pair
	ip netns exec "$NS" sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"
	ip -n "$NS" link set "$i" mtu 9000 up
done
BUFFER_MB=64

# CPU time is read before and after the replay, so start-up (the ring's
# allocation, for one) is left out: what remains is the per-frame cost. The
# scheduler's on-CPU nanoseconds (/proc/PID/schedstat, user + system) are used
# when the kernel has them: /proc/PID/stat counts in 10 ms ticks.
cpu_seconds() { # pid -> seconds on a CPU so far
	if [ -r "/proc/$1/schedstat" ]; then
		awk '{ printf "%.4f", $1 / 1e9 }' "/proc/$1/schedstat"
	else
		sed 's/.*) //' "/proc/$1/stat" |
			awk -v t="$(getconf CLK_TCK)" '{ printf "%.4f", ($12 + $13) / t }'
	fi
}
ticks_us() { # pid -> "user system" clock ticks so far
	sed 's/.*) //' "/proc/$1/stat" | awk '{ print $12, $13 }'
}
split_since() { # pid "user system" at start -> "user U s, system S s"
	set -- $(ticks_us "$1") $2
	awk -v u="$1" -v s="$2" -v u0="$3" -v s0="$4" -v t="$(getconf CLK_TCK)" \
		'BEGIN { printf "user %.2f s, system %.2f s", (u - u0) / t, (s - s0) / t }'
}
# BENCH_PROFILE=DIR: perf record (cpu-clock samples, call graphs) of each
# capturer during its replay, to DIR/NAME.data: what the CPU time is spent on.
profile_start() { # pid name
	prof=""
	[ -n "${BENCH_PROFILE:-}" ] || return 0
	mkdir -p "$BENCH_PROFILE"
	perf record -q -e cpu-clock -F 4999 -g -p "$1" -o "$BENCH_PROFILE/$2.data" \
		>/dev/null 2>&1 &
	prof=$!
	sleep 0.5
}
profile_stop() {
	[ -n "$prof" ] || return 0
	kill -INT "$prof"
	wait "$prof" || true
}
cpu_since() { # pid start-seconds -> seconds since
	echo "$(cpu_seconds "$1") $2" | awk '{ printf "%.4f", $1 - $2 }'
}
wait_for() { # file pattern seconds
	n=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		n=$((n + 1))
		[ "$n" -le $(($3 * 10)) ] || return 1
		sleep 0.1
	done
}
replay() { # -> sets replay_ok (successful packets), replay_failed
	ip netns exec "$NS" $REPLAY_PIN tcpreplay --topspeed --preload-pcap --loop="$LIVE_LOOPS" -i nmtb0 "$tmp/live.pcap" \
		>"$tmp/replay.out" 2>&1 || { cat "$tmp/replay.out" >&2; exit 1; }
	replay_ok=$(sed -n 's/.*Successful packets:[[:space:]]*\([0-9]*\).*/\1/p' "$tmp/replay.out")
	replay_failed=$(sed -n 's/.*Failed packets:[[:space:]]*\([0-9]*\).*/\1/p' "$tmp/replay.out")
	replay_rate=$(sed -n 's/.*Rated:.* \([0-9.]*\) pps.*/\1/p' "$tmp/replay.out")
}

# tcpdump, the baseline: as a user would run it, and with capd's snaplen
tcpdump_run() { # label tcpdump-args... -> sets td_cpu
	label=$1
	shift
	: >"$tmp/tcpdump.err"
	ip netns exec "$NS" $CAP_PIN tcpdump -n -i nmtb1 -B $((BUFFER_MB * 1024)) "$@" -w /dev/null \
		2>"$tmp/tcpdump.err" &
	td=$!
	pids="$pids $td"
	wait_for "$tmp/tcpdump.err" "listening on" 10 || { cat "$tmp/tcpdump.err" >&2; exit 1; }
	sleep 1
	before=$(cpu_seconds "$td")
	ticks0=$(ticks_us "$td")
	profile_start "$td" "tcpdump$(echo "$*" | tr -d ' ')"
	replay
	sleep 1
	td_cpu=$(cpu_since "$td" "$before")
	td_split=$(split_since "$td" "$ticks0")
	profile_stop
	kill -INT "$td"
	wait "$td" || true
	pids=""
	td_captured=$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$tmp/tcpdump.err")
	td_dropped=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$tmp/tcpdump.err")
	say "$label: replay sent $replay_ok (failed $replay_failed) at $replay_rate pps; captured $td_captured, kernel drops $td_dropped; CPU $td_cpu s ($td_split)"
}
tcpdump_run "tcpdump -s $SNAPLEN -w /dev/null" -s "$SNAPLEN"
td_small_cpu=$td_cpu
tcpdump_run "tcpdump -w /dev/null"

# capd, with the reporter it reports to
if ! "$CAPD" --help 2>&1 | grep -q -- '-c, --config'; then
	say "capd live: skipped: $CAPD has no live mode (-c CONF) yet"
	exit 0
fi
if [ ! -x "$REPORTER" ]; then
	say "capd live: skipped: $REPORTER is missing"
	exit 0
fi
chmod 755 "$tmp"
mkdir -p "$tmp/state"
chown nobody "$tmp/state"
cat >"$tmp/netmon.conf" <<EOF
[agent]
interface = nmtb1
networks = $NETS
cycle_seconds = 1
run_dir = $tmp/run
state_dir = $tmp/state
user = nobody
[capd]
snaplen = $SNAPLEN
buffer_mb = $BUFFER_MB
[reporter]
outputs = file:$tmp/state/snapshots.jsonl
EOF
if ! ip netns exec "$NS" "$CAPD" -c "$tmp/netmon.conf" --check-config >"$tmp/check.out" 2>&1; then
	say "capd live: skipped: capd rejects the bench config: $(tail -n 1 "$tmp/check.out")"
	exit 0
fi
ip netns exec "$NS" "$REPORTER" -c "$tmp/netmon.conf" 2>"$tmp/reporter.err" &
rp=$!
pids="$pids $rp"
wait_for "$tmp/reporter.err" "listening in" 10 || {
	say "capd live: skipped: the reporter did not start: $(tail -n 1 "$tmp/reporter.err")"
	exit 0
}
ip netns exec "$NS" $CAP_PIN "$CAPD" -c "$tmp/netmon.conf" --dump >"$tmp/capd.dump" 2>"$tmp/capd.err" &
cp=$!
pids="$pids $cp"
if ! wait_for "$tmp/capd.err" "capturing on" 10; then
	say "capd live: skipped: capd did not start capturing: $(tail -n 1 "$tmp/capd.err")"
	exit 0
fi
sleep 2      # connected to the reporter
before=$(cpu_seconds "$cp")
ticks0=$(ticks_us "$cp")
profile_start "$cp" capd
replay
sleep 3      # a flush (every second) and a reporter cycle after the last frame
cp_cpu=$(cpu_since "$cp" "$before")
cp_split=$(split_since "$cp" "$ticks0")
profile_stop
# peak resident memory of the live capd (ring + table + everything), in KiB
cp_hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$cp/status" 2>/dev/null)
kill -TERM "$cp"
cp_status=0
wait "$cp" || cp_status=$?
sleep 2      # the reporter's next snapshot sees capd's final counters
kill -TERM "$rp"
wait "$rp" || true
pids=""
$PY - "$tmp/state/snapshots.jsonl" >"$tmp/capd.capture" <<'EOF' || true
import json, sys
snap = None
for line in open(sys.argv[1]):
    if line.strip():
        snap = json.loads(line)
c = snap["network"]["capture"]
print(c["packets"], c["psDrop"], c["psIfdrop"])
EOF
read -r cp_packets cp_drop cp_ifdrop <"$tmp/capd.capture" || true
sort "$tmp/capd.dump" >"$tmp/capd.dump.sorted"
if [ "$cp_status" -ne 0 ]; then
	exact="none: capd exited with status $cp_status ($(tail -n 1 "$tmp/capd.err"))"
elif $PY - "$tmp/live.jsonl" "$LIVE_LOOPS" <<'EOF' | sort | cmp -s - "$tmp/capd.dump.sorted"; then
import json, sys
for line in open(sys.argv[1]):
    rec = json.loads(line)
    for k in ("rxBytes", "txBytes", "rxPackets", "txPackets"):
        rec[k] *= int(sys.argv[2])
    print(json.dumps(rec, separators=(",", ":")))
EOF
	exact="equal the expected counters"
else
	exact="DIFFER from the expected counters"
fi
say "capd live: replay sent $replay_ok (failed $replay_failed) at $replay_rate pps; reporter saw ${cp_packets:-?} frames, ps_drop ${cp_drop:-?}, ps_ifdrop ${cp_ifdrop:-?}; capd's --dump at exit: $exact; CPU $cp_cpu s ($cp_split)"
if [ -n "${cp_hwm:-}" ]; then
	say "capd live peak RSS: $((cp_hwm / 1024)) MiB (target <= ring $BUFFER_MB MiB + 16 MiB = $((BUFFER_MB + 16)) MiB)"
fi
$PY - "$cp_cpu" "$td_cpu" "$td_small_cpu" "$LIVE_FRAMES" "$SNAPLEN" <<'EOF' | tee -a "$RESULTS"
import sys
capd, tcpdump, small, n = (float(x) for x in sys.argv[1:5])
per = lambda s: s / (n / 1e6)
ratio = lambda a, b: "%.2f" % (a / b) if b > 0 else "n/a"
snap = sys.argv[5]
print("CPU s per million frames: capd %.4f, tcpdump -s %s %.4f, tcpdump (full snaplen) %.4f"
      % (per(capd), snap, per(small), per(tcpdump)))
# the headline: the same replay, the same snaplen, the same CPU placement
print("capd / tcpdump -s %s = %s (target <= 1.0)" % (snap, ratio(capd, small)))
print("capd / tcpdump (full snaplen, for information) = %s" % ratio(capd, tcpdump))
EOF

# sysd: one complete sample against psutil, and its steady-state RSS
if [ "${BENCH_ONLY:-}" != live ]; then
	sh bench/sysd.sh
	sh bench/reporter.sh  # the reporter: snapshot build time, steady-state RSS and CPU
	# arpd: netmon-arpd --once against arp-scan on a namespace LAN
	sh bench/arpd.sh
	# names: reverse DNS and passive names on a 250-host namespace LAN
	sh bench/names.sh
	# the whole agent at rest: RSS and CPU of the four daemons together
	sh bench/agent.sh
fi
