#!/bin/sh
# Reverse DNS names (issue 11) on a LAN of network namespaces, with a DNS
# server of the test's own (tests/integration/ptr_stub.py on 127.0.0.1 of the
# monitor's namespace, given to the reporter by /etc/netns/NS/resolv.conf,
# which `ip netns exec` mounts over /etc/resolv.conf):
#   1. the server answers PTR for some hosts: their deviceName is that name
#      with nameSource "dns" (also over a DHCP name the host announced); a
#      host without a PTR record keeps its passive name; the others stay "".
#   2. a server that never answers: every snapshot is still on its instant
#      (snapshotTime within a few ms of start + k cycles) and the names stay
#      "" while lookups time out.
# Everything runs in namespaces named with this shell's PID, removed on exit.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
BIN=${NMT_BIN:-build}
[ -x "$BIN/netmon-arpd" ] && [ -x "$BIN/netmon-reporter" ] || { echo "FAIL: $BIN/netmon-* missing (make bins)"; exit 1; }
PY=/usr/bin/python3
. tests/integration/arpd_lan.sh

T=nD$$
S="${T}s"
SPID=""
LAN_TEST_LOGS=queries
lan_test_cleanup() {
	[ -n "$SPID" ] && kill -TERM "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	rm -rf "/etc/netns/$S"
}
lan_test_init rdns

lan_up "$T" 10 || fail "could not build the LAN"
mkdir -p "/etc/netns/$S" || fail "cannot create /etc/netns/$S"
echo "nameserver 127.0.0.1" >"/etc/netns/$S/resolv.conf"
lan_config "$TMP" "198.18.0.0/24"

start() { # stub mode: answer|silent
	: >"$TMP/queries"
	ip netns exec "$S" "$PY" tests/integration/ptr_stub.py 127.0.0.1 "$TMP/ptr.map" \
		"$TMP/queries" $([ "$1" = silent ] && echo silent) &
	SPID=$!
	sleep 0.3
	lan_agent_start
}
stop() {
	lan_agent_stop
	kill -TERM $SPID; wait $SPID 2>/dev/null; SPID=""
}

h() { sed -n "${1}p" "$LAN_DIR/hosts"; }
# hosts 1-3 have PTR records, host 3 also announces a DHCP name, host 4 only
# a DHCP name, hosts 5-10 nothing
{
	echo "$(h 1 | cut -d' ' -f1) alpha.lan.example 30"
	echo "$(h 2 | cut -d' ' -f1) beta.lan.example 30"
	echo "$(h 3 | cut -d' ' -f1) gamma.lan.example 30"
} >"$TMP/ptr.map"

say "1. a DNS server answering PTR for three of ten hosts"
start answer
ip netns exec "$(h 3 | cut -d' ' -f2)" timeout 5 "$PY" tests/integration/names_send.py dhcp eth0 gamma-dhcp
ip netns exec "$(h 4 | cut -d' ' -f2)" timeout 5 "$PY" tests/integration/names_send.py dhcp eth0 delta-dhcp
sleep 3
stop
echo "queries: $(wc -l <"$TMP/queries") ($(sort -u "$TMP/queries" | wc -l) distinct)"
"$PY" - "$TMP/snaps.jsonl" <<PYEOF || fail "reverse DNS names not in the snapshots"
import json, sys
last = {}
for line in open(sys.argv[1]):
    for d in json.loads(line)["network"]["connectedDevices"]:
        last[d["mac"]] = d
want = {
    "$(mac_of "$(h 1 | cut -d' ' -f2)")": ("alpha.lan.example", "dns"),
    "$(mac_of "$(h 2 | cut -d' ' -f2)")": ("beta.lan.example", "dns"),
    "$(mac_of "$(h 3 | cut -d' ' -f2)")": ("gamma.lan.example", "dns"),
    "$(mac_of "$(h 4 | cut -d' ' -f2)")": ("delta-dhcp", "dhcp"),
    "$(mac_of "$(h 5 | cut -d' ' -f2)")": ("", ""),
}
ok = True
for mac, exp in want.items():
    d = last.get(mac, {})
    got = (d.get("deviceName"), d.get("nameSource"))
    good = got == exp
    print(("ok   " if good else "FAIL ") + "%s: %r, names %s" % (mac, got, d.get("names")))
    ok = ok and good
g = last.get("$(mac_of "$(h 3 | cut -d' ' -f2)")", {}).get("names", {})
good = g.get("dhcp") == ["gamma-dhcp"] and g.get("dns") == ["gamma.lan.example"]
print(("ok   " if good else "FAIL ") + "both names of host 3 listed: %s" % g)
sys.exit(0 if ok and good else 1)
PYEOF
grep -q "in-addr.arpa 12" "$TMP/queries" || fail "no PTR query reached the server"

say "2. a DNS server that never answers"
start silent
sleep 6
stop
nq=$(wc -l <"$TMP/queries")
echo "queries: $nq, none answered"
[ "$nq" -ge 10 ] || fail "only $nq queries reached the silent server"
"$PY" - "$TMP/snaps.jsonl" <<'PYEOF' || fail "snapshots late or names not empty with a dead resolver"
import datetime, json, sys
times, named = [], 0
for line in open(sys.argv[1]):
    s = json.loads(line)
    t = datetime.datetime.strptime(s["snapshotTime"], "%Y-%m-%dT%H:%M:%S.%fZ")
    times.append(t.timestamp())
    named += sum(1 for d in s["network"]["connectedDevices"] if d["deviceName"])
late = [round((t - (times[0] + k)) * 1000, 1) for k, t in enumerate(times)]
print("snapshots: %d, offsets from their instants (ms): %s" % (len(times), late))
ok = len(times) >= 6 and all(abs(x) <= 10 for x in late) and named == 0
print(("ok   " if ok else "FAIL ") + "on schedule within 10 ms, %d names" % named)
sys.exit(0 if ok else 1)
PYEOF
echo PASS
