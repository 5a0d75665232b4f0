#!/bin/sh
# capd live with the reporter (issue #3), inside a network namespace of its
# own: tcpreplay sends fixture frames at top speed into a veth pair, capd
# captures (privileges dropped, seccomp on) and sends its cumulative counters
# to netmon-reporter, which writes snapshots to a file. The reporter is then
# killed (SIGKILL) and restarted mid-run: since capd resends its whole table
# on every new connection, the totals in the last snapshot must still equal
# the hand-made goldens times the replay counts, with no kernel drops.
# Needs root (skips otherwise).
set -u
. tests/pcap/lib.sh
need_live tcpreplay
need_bins "$CAPD" "$REPORTER"
id nobody >/dev/null 2>&1 || { echo "skip: no user nobody"; exit 77; }

ns=nmt-capd-rep-$$
tmp=$(mktemp -d)
cpid="" rpid=""
cleanup() {
	[ -n "$cpid" ] && kill "$cpid" 2>/dev/null
	[ -n "$rpid" ] && kill "$rpid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

chmod 755 "$tmp"
mkdir -p "$tmp/run" "$tmp/out"
chown nobody "$tmp/run" "$tmp/out"
veth_netns "$ns"
cat >"$tmp/netmon.conf" <<CONF
[agent]
interface = vcap
networks = 192.0.2.0/24
run_dir = $tmp/run
state_dir = $tmp/state
user = nobody
cycle_seconds = 1
[capd]
buffer_mb = 8
[reporter]
outputs = file:$tmp/out/snap.jsonl
CONF

start_reporter() {
	ip netns exec "$ns" "$REPORTER" -c "$tmp/netmon.conf" 2>>"$tmp/reporter.err" &
	rpid=$!
}
# wait_for FILE PATTERN: up to 10 s
wait_for() {
	i=0
	until grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "FAIL: no '$2' in $1"; cat "$tmp"/*.err; exit 1; }
		sleep 0.1
	done
}
replay() { # loops
	ip netns exec "$ns" tcpreplay -q -i vsend --topspeed --loop="$1" "$FIX/eth_ipv4.pcap" \
		>>"$tmp/replay.log" 2>&1 || { echo "FAIL: tcpreplay"; cat "$tmp/replay.log"; exit 1; }
}

start_reporter
wait_for "$tmp/reporter.err" 'listening'
ip netns exec "$ns" "$CAPD" -c "$tmp/netmon.conf" 2>"$tmp/capd.err" &
cpid=$!
wait_for "$tmp/capd.err" 'connected to the reporter'

# restart_reporter N: SIGKILL it, start it again, wait until capd has
# connected N times in all and one snapshot cycle has passed after that
restart_reporter() {
	kill -KILL "$rpid"; wait "$rpid" 2>/dev/null
	rpid=""
	[ -n "${1#*:}" ] && replay "${1#*:}"       # traffic while it is down
	rm -f "$tmp/out/snap.jsonl"
	start_reporter
	i=0
	until [ "$(grep -c 'connected to the reporter' "$tmp/capd.err")" -ge "${1%%:*}" ]; do
		i=$((i + 1))
		[ $i -gt 150 ] && { echo "FAIL: capd did not reconnect"; cat "$tmp"/*.err; exit 1; }
		sleep 0.1
	done
	sleep 2.5
}

# check LOOPS: the last snapshot's totals are the goldens x LOOPS
check() {
	[ -s "$tmp/out/snap.jsonl" ] || { echo "FAIL: no snapshot"; cat "$tmp"/*.err; exit 1; }
	tail -n 1 "$tmp/out/snap.jsonl" >"$tmp/last.json"
	$PY - "$tmp/last.json" "$FIX/eth_ipv4.json" "$1" <<'PYEOF' || { cat "$tmp"/*.err; exit 1; }
import json, sys
snap = json.load(open(sys.argv[1]))
loops = int(sys.argv[3])
want = {}
for line in open(sys.argv[2]):
    o = json.loads(line)
    if "ip" in o:
        want[o["ip"]] = (o["rxBytes"] * loops, o["txBytes"] * loops)
got = {d["ip"]: (d["bandwidth"]["rxBytesTotal"], d["bandwidth"]["txBytesTotal"])
       for d in snap["network"]["connectedDevices"]}
cap = snap["network"]["capture"]
ok = True
if got != want:
    print("FAIL: device totals:", got, "want", want); ok = False
if cap["packets"] != 3 * loops:
    print("FAIL: capture.packets", cap["packets"], "want", 3 * loops); ok = False
if cap["psDrop"] != 0 or cap["psIfdrop"] != 0:
    print("FAIL: kernel drops", cap); ok = False
if ok:
    print("ok: totals equal the goldens x", loops, "with 0 drops:", got)
sys.exit(0 if ok else 1)
PYEOF
}

replay 300
sleep 2
check 300
# quiet while the reporter is down: only capd's full resend on the new
# connection can give the restarted reporter its totals
restart_reporter 2:
check 300
# traffic while the reporter is down is counted and delivered too
restart_reporter 3:200
check 500
kill -TERM "$cpid"; wait "$cpid"; cpid=""
kill -TERM "$rpid"; wait "$rpid"; rpid=""
cat "$tmp/capd.err" "$tmp/reporter.err"

exit 0
