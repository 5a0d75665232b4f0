#!/bin/sh
# bench/names.sh (also run by `make bench`): device names on a 250-host LAN of
# network namespaces (tests/integration/arpd_lan.sh). A test DNS server
# (tests/integration/ptr_stub.py, on 127.0.0.1 of the monitor's namespace)
# answers PTR for a third of the hosts (NXDOMAIN for the rest), another third
# announce a DHCP host name (tests/integration/names_send.py), the last third
# say nothing. netmon-reporter and netmon-arpd start together; measured:
#   time to all names  from the daemons' start to the first snapshot in which
#                      every answerable name (DNS and DHCP) is deviceName
#   reporter CPU       user+system seconds over that span, and per minute of
#                      the steady state after it (BENCH_NAMES_STEADY s)
#   queries            PTR queries the server saw (one per host expected)
# Runnable alone, as root: sh bench/names.sh. Results go to build/bench/names.txt.
set -eu
cd "$(dirname "$0")/.."
[ "$(id -u)" -eq 0 ] || { echo "bench/names.sh: needs root (network namespaces)" >&2; exit 1; }
PY=/usr/bin/python3
BIN=build
HOSTS=${BENCH_NAMES_HOSTS:-250}
STEADY=${BENCH_NAMES_STEADY:-20}
RESULTS=build/bench/names.txt
[ -x "$BIN/netmon-reporter" ] && [ -x "$BIN/netmon-arpd" ] || { echo "bench/names.sh: build/netmon-* missing (make bins)" >&2; exit 1; }
. tests/integration/arpd_lan.sh

T=nM$$
S="${T}s"
tmp=$(mktemp -d /tmp/nmt-bench-names.XXXXXX)
RPID=""; DPID=""; SPID=""
cleanup() {
	for p in $DPID $RPID $SPID; do kill -TERM "$p" 2>/dev/null || true; done
	for p in $DPID $RPID $SPID; do wait "$p" 2>/dev/null || true; done
	lan_down; rm -rf "/etc/netns/$S" "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP PIPE
mkdir -p build/bench
say() { echo "$*" | tee -a "$RESULTS"; }
: >"$RESULTS"
cpu_s() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }
now_ms() { "$PY" -c 'import time; print(int(time.time() * 1000))'; }

echo "building a LAN of $HOSTS hosts"
lan_up "$T" "$HOSTS" 0
mkdir -p "/etc/netns/$S"
echo "nameserver 127.0.0.1" >"/etc/netns/$S/resolv.conf"
third=$((HOSTS / 3))
: >"$tmp/ptr.map"; : >"$tmp/expect"
k=0
while read -r addr ns; do
	k=$((k + 1))
	mac=$(ip -n "$ns" -o link show eth0 | sed 's/.*link\/ether \([0-9a-f:]*\).*/\1/')
	if [ $k -le $third ]; then
		echo "$addr host$k.lan.example 3600" >>"$tmp/ptr.map"
		echo "$mac host$k.lan.example dns" >>"$tmp/expect"
	elif [ $k -le $((2 * third)) ]; then
		echo "$ns" >>"$tmp/dhcp_hosts"
		echo "$mac dhcp-$k dhcp" >>"$tmp/expect"
	fi
done <"$LAN_DIR/hosts"
chmod 755 "$tmp"
lan_config "$tmp" "198.18.0.0/24"
: >"$tmp/queries"
ip netns exec "$S" "$PY" tests/integration/ptr_stub.py 127.0.0.1 "$tmp/ptr.map" "$tmp/queries" &
SPID=$!
sleep 0.5

t0=$(now_ms)
ip netns exec "$S" "$BIN/netmon-reporter" -c "$tmp/netmon.conf" >"$tmp/snaps.jsonl" 2>"$tmp/reporter.log" &
RPID=$!
ip netns exec "$S" "$BIN/netmon-arpd" -c "$tmp/netmon.conf" 2>"$tmp/arpd.log" &
DPID=$!
k=$third
while read -r ns; do
	k=$((k + 1))
	ip netns exec "$ns" "$PY" tests/integration/names_send.py dhcp eth0 "dhcp-$k" &
done <"$tmp/dhcp_hosts"
wait_named() { # prints the snapshotTime (ms) of the first complete snapshot
	"$PY" - "$tmp/snaps.jsonl" "$tmp/expect" <<'PYEOF'
import datetime, json, sys
want = {}
for line in open(sys.argv[2]):
    mac, name, src = line.split()
    want[mac] = (name, src)
for line in open(sys.argv[1]):
    if not line.endswith("\n"):
        break
    s = json.loads(line)
    got = {d["mac"]: (d["deviceName"], d["nameSource"]) for d in s["network"]["connectedDevices"]}
    if all(got.get(m) == w for m, w in want.items()):
        t = datetime.datetime.strptime(s["snapshotTime"], "%Y-%m-%dT%H:%M:%S.%fZ")
        print(int(t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000))
        break
PYEOF
}
done_ms=""
n=0
while [ -z "$done_ms" ]; do
	n=$((n + 1)); [ $n -le 120 ] || { echo "not every name after 60 s" >&2; tail -5 "$tmp/reporter.log" >&2; exit 1; }
	sleep 0.5
	done_ms=$(wait_named)
done
cpu_all=$(cpu_s $RPID)
sleep "$STEADY"
cpu_end=$(cpu_s $RPID)
nq=$(wc -l <"$tmp/queries")
say "names on $HOSTS hosts: $third by reverse DNS, $third by DHCP, $((HOSTS - 2 * third)) without a name"
say "  time to every answerable name in a snapshot: $((done_ms - t0)) ms after the daemons started"
say "  reporter CPU until then: ${cpu_all} s; steady state: $(echo "$cpu_end $cpu_all $STEADY" | awk '{ printf "%.2f", ($1 - $2) * 60 / $3 }') s per minute"
say "  PTR queries the server saw: $nq (hosts: $HOSTS)"
