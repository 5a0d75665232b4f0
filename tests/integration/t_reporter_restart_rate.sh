#!/bin/sh
# time-limit: 120
# No rate spike after a reporter restart: capd counts a burst of traffic
# (tens of MB), the traffic stops, then the reporter restarts. capd resends
# its cumulative counters to the new reporter, which takes each key's first
# sighting as its baseline: the totals are all there, and every rate stays
# near zero (the reporter before this rule showed the whole history as one
# window's traffic, hundreds of Mbit/s).
. tests/integration/lib.sh

nmt_init rate veth
nmt_config
nmt_start_all

# the burst: ~2 s of 1400-byte datagrams from the peer namespace
ip netns exec "$NMT_PEER" timeout 10 "$NMT_PY" -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.monotonic() + 2
payload = b"x" * 1400
while time.monotonic() < end:
    try:
        s.sendto(payload, ("198.18.0.1", 9))
    except OSError:
        pass'
device_field() { # IP FIELD: from the newest snapshot
	"$NMT_PY" - "$NMT_SNAPS" "$1" "$2" <<'EOF2'
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")[:-1]
snap = json.loads(lines[-1]) if lines else {}
for d in snap.get("network", {}).get("connectedDevices", []):
    if d["ip"] == sys.argv[2]:
        print(d["bandwidth"][sys.argv[3]])
        break
else:
    print(0)
EOF2
}
big() { [ "$(device_field 198.18.0.2 txBytesTotal)" -gt 20000000 ]; }
nmt_wait 10 "the burst counted (> 20 MB from 198.18.0.2)" big
before=$(device_field 198.18.0.2 txBytesTotal)
nmt_say "198.18.0.2 sent $before bytes; traffic stopped"
sleep 2

kill -TERM "$NMT_REPORTER"
wait "$NMT_REPORTER" 2>/dev/null
nmt_untrack "$NMT_REPORTER"
n0=$(nmt_lines)
nmt_start reporter
NMT_REPORTER=$NMT_PID
# capd reconnects (backoff up to 5 s) and resends everything
seen() { [ "$(device_field 198.18.0.2 txBytesTotal)" -ge "$before" ]; }
nmt_wait 15 "198.18.0.2's totals back after the reporter restart" seen
sleep 2.5   # and two more snapshots
"$NMT_PY" - "$NMT_SNAPS" "$n0" <<'EOF2' || nmt_fail "a rate spike after the reporter restart"
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")[:-1][int(sys.argv[2]):]
worst = 0
for raw in lines:
    for d in json.loads(raw)["network"]["connectedDevices"]:
        b = d["bandwidth"]
        worst = max(worst, b["rxRateBps"], b["txRateBps"])
print("after the restart: %d snapshots, highest device rate %d bit/s" % (len(lines), worst))
sys.exit(0 if worst < 1000000 else 1)
EOF2
nmt_say "no rate spike after the reporter restart"
