#!/bin/sh
# Passive device names (issue 11) on a LAN of network namespaces: one host
# sends a DHCPREQUEST with option 12, one an mDNS response (A record
# NAME.local), one a NetBIOS name registration, one nothing. arpd reads them
# through its capture filter, the reporter's snapshots name the devices by
# MAC with the right nameSource (reverse DNS off: no lookup at all). Then a
# name order that puts mdns first is checked on a host that said two names.
# Beside the names, what the hosts say about themselves: the DHCP request's
# options 60 and 55 as dhcp.vendorClass and dhcp.fingerprint ("1,3,6,..."),
# a hostile vendor class left out, the mDNS `_device-info` model and HINFO as
# model and hinfo; every snapshot validates against docs/payload.schema.json.
# Everything runs in namespaces named with this shell's PID, removed on exit.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
BIN=${NMT_BIN:-build}
[ -x "$BIN/netmon-arpd" ] && [ -x "$BIN/netmon-reporter" ] || { echo "FAIL: $BIN/netmon-* missing (make bins)"; exit 1; }
PY=/usr/bin/python3
. tests/integration/arpd_lan.sh

T=nN$$
lan_test_init names
send() { # NS KIND NAME [ARGS...]
	ns=$1 kind=$2 name=$3
	shift 3
	ip netns exec "$ns" timeout 5 "$PY" tests/integration/names_send.py "$kind" eth0 "$name" "$@"
}

lan_up "$T" 4 || fail "could not build the LAN"
S="${T}s"
for k in 1 2 3 4; do
	ip -n "${T}h$k" route add 224.0.0.0/4 dev eth0
done
lan_config "$TMP" "198.18.0.0/24" "[reporter]
resolve_names = no"


say "daemons up; hosts announce their names"
lan_agent_start
h1=$(sed -n 1p "$LAN_DIR/hosts"); h2=$(sed -n 2p "$LAN_DIR/hosts")
h3=$(sed -n 3p "$LAN_DIR/hosts"); h4=$(sed -n 4p "$LAN_DIR/hosts")
send "${h1#* }" dhcp laptop-7 || fail "cannot send the DHCP request"
send "${h2#* }" mdns printer "${h2% *}" 'Caf\xc3\xa9Jet 9000 "pro"' X86_64 LINUX ||
	fail "cannot send the mDNS response"
send "${h3#* }" nbns ws3 "${h3% *}" || fail "cannot send the NBNS registration"
send "${h4#* }" dhcp ignored-by-order 'evil\x1b[2J' || fail "cannot send"
send "${h4#* }" mdns kitchen "${h4% *}" || fail "cannot send"
sleep 2.5       # a table to the reporter, a snapshot after it
lan_agent_stop
grep -i "names\|error" "$TMP/reporter.log" | head -5

check() { # FILE then lines "MAC NAME SOURCE" on stdin
	"$PY" -c '
import json, sys
last = {}
for line in open(sys.argv[1]):
    snap = json.loads(line)
    for d in snap["network"]["connectedDevices"]:
        last[d["mac"]] = d
ok = True
for want in sys.stdin.read().split("\n"):
    if not want:
        continue
    mac, name, src = want.split()
    d = last.get(mac, {})
    got = (d.get("deviceName"), d.get("nameSource"))
    good = got == (name if name != "-" else "", src if src != "-" else "")
    print(("ok   " if good else "FAIL ") + "%s: %s %s, names %s" % (mac, got[0], got[1], d.get("names")))
    ok = ok and good
sys.exit(0 if ok else 1)' "$1"
}
check "$TMP/snaps.jsonl" <<EOF2 || fail "passive names not in the snapshots"
$(mac_of "${h1#* }") laptop-7 dhcp
$(mac_of "${h2#* }") printer mdns
$(mac_of "${h3#* }") WS3 netbios
$(mac_of "${h4#* }") ignored-by-order dhcp
EOF2

# what the hosts said about themselves: "MAC KEY=VALUE..." (VALUE "-": absent)
check_about() { # FILE, lines on stdin
	"$PY" -c '
import json, sys
last = {}
for line in open(sys.argv[1], encoding="utf-8"):
    for d in json.loads(line)["network"]["connectedDevices"]:
        last[d["mac"]] = d
ok = True
for want in sys.stdin.buffer.read().decode("utf-8").split("\n"):
    if not want:
        continue
    mac, rest = want.split(" ", 1)
    d = last.get(mac, {})
    for item in rest.split("|"):
        path, value = item.split("=", 1)
        got = d
        for k in path.split("."):
            got = got.get(k) if isinstance(got, dict) else None
        good = got == (None if value == "-" else value)
        print(("ok   " if good else "FAIL ") + "%s %s: %s" % (mac, path, ascii(got)))
        ok = ok and good
sys.exit(0 if ok else 1)' "$1"
}
check_about "$TMP/snaps.jsonl" <<EOF2 || fail "what the devices said about themselves is not in the snapshots"
$(mac_of "${h1#* }") dhcp.vendorClass=dhcpcd-10.0|dhcp.fingerprint=1,3,6,15,28,42,121|model=-|hinfo=-
$(mac_of "${h2#* }") model=CaféJet 9000 "pro"|hinfo.cpu=X86_64|hinfo.os=LINUX|dhcp=-
$(mac_of "${h3#* }") dhcp=-|model=-|hinfo=-
$(mac_of "${h4#* }") dhcp.vendorClass=-|dhcp.fingerprint=1,3,6,15,28,42,121
EOF2
/usr/bin/python3 tests/tools/validate_payload.py "$TMP/snaps.jsonl" || fail "snapshots do not validate"

say "name_sources = mdns, dhcp"
printf 'name_sources = mdns, dhcp\n' >>"$TMP/netmon.conf"
lan_agent_start
send "${h4#* }" dhcp ignored-by-order || fail "cannot send"
send "${h4#* }" mdns kitchen "${h4% *}" || fail "cannot send"
send "${h3#* }" nbns ws3 "${h3% *}" || fail "cannot send"
sleep 2.5
lan_agent_stop
check "$TMP/snaps.jsonl" <<EOF2 || fail "name order not applied"
$(mac_of "${h4#* }") kitchen mdns
$(mac_of "${h3#* }") - -
EOF2
echo PASS
