#!/bin/sh
# bench/arpd.sh (also run by `make bench`): netmon-arpd --once against arp-scan
# at its defaults, side by side, on a LAN of network namespaces this script
# creates (tests/integration/arpd_lan.sh: a bridge, a scanner namespace with
# 198.18.0.1/22, BENCH_ARPD_HOSTS hosts at scattered addresses of
# 198.18.0.0/24). For a /24 and a /22:
#   wall time   hyperfine, BENCH_ARPD_RUNS runs each, alternating tools
#   found       the (ip, mac) sets of one run of each must be equal
#   rate        requests on the wire (tcpdump in the scanner namespace): the
#               mean rate over the sending span and the busiest 1 s window
# Targets (issue #9): arpd <= 0.65x arp-scan's wall time, same hosts, rate no
# higher than arp-scan's. BENCH_ARPD_SLEEPY=N makes N hosts sleepy (see
# tests/integration/arp_sleepy.py); then the tools' runs must be >1 s apart,
# which hyperfine's --prepare does.
# Runnable alone, as root: sh bench/arpd.sh. Results go to build/bench/arpd.txt.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench/arpd.sh: needs root (network namespaces)" >&2; exit 1; }
PY=/usr/bin/python3
ARPD=build/netmon-arpd
HOSTS=${BENCH_ARPD_HOSTS:-40}
RUNS=${BENCH_ARPD_RUNS:-5}
SLEEPY=${BENCH_ARPD_SLEEPY:-0}
RESULTS=build/bench/arpd.txt
[ -x "$ARPD" ] || { echo "bench/arpd.sh: $ARPD missing (make bins)" >&2; exit 1; }
command -v arp-scan >/dev/null || { echo "bench/arpd.sh: arp-scan missing (make deps)" >&2; exit 1; }
. tests/integration/arpd_lan.sh

T=nB$$
tmp=$(mktemp -d /tmp/nmt-bench-arpd.XXXXXX)
cleanup() { lan_down; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
mkdir -p build/bench
say() { echo "$*" | tee -a "$RESULTS"; }
: >"$RESULTS"

lan_up "$T" "$HOSTS" "$SLEEPY" 22
S="${T}s"
sleep 1
say "arpd bench $(date -u +%Y-%m-%dT%H:%MZ): $HOSTS hosts ($SLEEPY sleepy), $(nproc) CPUs, $RUNS runs each"
SCAN="ip netns exec $S arp-scan -I scan0 -q -x"
ARPD_CMD="ip netns exec $S $ARPD --once -i scan0 --dump"
prep=true
[ "$SLEEPY" -gt 0 ] && prep="sleep 1.5"

for range in 198.18.0.0/24 198.18.0.0/22; do
	tag=$(echo "$range" | tr '/.' '__')
	# found: one run each, answers compared as (ip, mac) sets
	$prep
	$SCAN "$range" | awk '{ print $1, $2 }' | sort -u >"$tmp/$tag.scan"
	$prep
	$ARPD_CMD --range "$range" 2>/dev/null |
		$PY -c 'import json,sys
for l in sys.stdin: d=json.loads(l); print(d["ip"], d["mac"])' | sort >"$tmp/$tag.arpd"
	if cmp -s "$tmp/$tag.scan" "$tmp/$tag.arpd"; then same="same $(wc -l <"$tmp/$tag.arpd") hosts"
	else same="DIFFERENT: arp-scan $(wc -l <"$tmp/$tag.scan"), arpd $(wc -l <"$tmp/$tag.arpd")"; fi

	# rate on the wire
	for tool in scan arpd; do
		ip netns exec "$S" tcpdump -i scan0 --immediate-mode -w "$tmp/$tag.$tool.pcap" -U arp 2>/dev/null &
		td=$!
		n=0     # tcpdump writes the file header once it captures
		while [ "$(stat -c %s "$tmp/$tag.$tool.pcap" 2>/dev/null || echo 0)" -lt 24 ] && [ $n -lt 50 ]; do
			sleep 0.1; n=$((n + 1))
		done
		sleep 1
		$prep
		if [ $tool = scan ]; then $SCAN "$range" >/dev/null; else $ARPD_CMD --range "$range" >/dev/null 2>&1; fi
		sleep 1.2   # past libpcap's 1 s block timeout: the last requests are written
		kill -INT $td; wait $td || true
	done
	rates=$(for tool in scan arpd; do
		tcpdump -r "$tmp/$tag.$tool.pcap" -tt -n 2>/dev/null |
		awk '/Request who-has .* tell 198\.18\.0\.1,/ { print $1 }' |
		$PY -c 'import sys
t=[float(x) for x in sys.stdin]
peak=max(sum(1 for u in t if s<=u<s+1) for s in t) if t else 0
span=t[-1]-t[0] if len(t)>1 else 0
print("%d requests, %.0f/s mean, %d in the busiest second" % (len(t), (len(t)-1)/span if span else 0, peak))'
	done)

	hyperfine -N --runs "$RUNS" --prepare "$prep" --export-json "$tmp/$tag.json" \
		-n arp-scan "$SCAN $range" -n netmon-arpd "$ARPD_CMD --range $range" >/dev/null 2>&1
	$PY - "$tmp/$tag.json" "$range" "$same" "$rates" <<'PYEOF' | tee -a "$RESULTS"
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
a, d = res["arp-scan"], res["netmon-arpd"]
scan_rate, arpd_rate = sys.argv[4].split("\n")
print("%s: arp-scan %.3f s (±%.3f), netmon-arpd %.3f s (±%.3f): ratio %.2f (target <= 0.65); %s"
      % (sys.argv[2], a["mean"], a["stddev"], d["mean"], d["stddev"], d["mean"] / a["mean"], sys.argv[3]))
print("  requests: arp-scan %s; netmon-arpd %s" % (scan_rate, arpd_rate))
PYEOF
done
