#!/bin/sh
# netmon-arpd on a LAN of network namespaces (issue #9): 40 hosts at
# scattered addresses of 198.18.0.0/24 on one bridge, five of them asleep
# (kernel ARP off; tests/integration/arp_sleepy.py ignores the first request
# after a quiet second and answers later ones 300 ms late).
#   1. arp-scan and `arpd --once --dump` on the same LAN: arpd finds every
#      host arp-scan finds, and no address that is not a host (right MAC too).
#   2. the daemon: a host joining after start-up is learned passively within
#      a second (no sweep until 1 h later); a host that leaves turns inactive
#      after device_timeout_seconds while a talking one stays active; a MAC
#      change and two hosts claiming one address are reported; an IPv6-only
#      host is learned from neighbour discovery, an 802.1Q-tagged ARP request
#      from passive ARP; the reporter's snapshots carry all of it.
# Everything runs in namespaces named with this shell's PID, removed on exit.
set -u
cd "$(dirname "$0")/../.." || exit 1
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (network namespaces)"; exit 77; }
command -v arp-scan >/dev/null || { echo "SKIP: arp-scan not installed"; exit 77; }
BIN=${NMT_BIN:-build}/netmon-arpd
[ -x "$BIN" ] || { echo "FAIL: $BIN missing (make bins)"; exit 1; }
PY=/usr/bin/python3
. tests/integration/arpd_lan.sh

T=nA$$
lan_test_init arpd

# a host sends one UDP datagram to DEST: its kernel resolves DEST first
# (ARP request, or an ND neighbour solicitation from its own address)
talk() { # NS DEST [flush]
	[ "${3:-}" = flush ] && ip -n "$1" neigh flush dev eth0 2>/dev/null
	ip netns exec "$1" timeout 5 "$PY" -c "
import socket, sys
fam = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
socket.socket(fam, socket.SOCK_DGRAM).sendto(b'x', (sys.argv[1], 9))" "$2"
}

say "building the LAN: 40 hosts, 5 asleep"
lan_up "$T" 40 5 || fail "could not build the LAN"
S="${T}s"
while read -r addr ns; do
	echo "$addr $(mac_of "$ns")"
done <"$LAN_DIR/hosts" | sort >"$TMP/truth"
[ "$(wc -l <"$TMP/truth")" -eq 40 ] || fail "expected 40 hosts"
sleep 1.2

say "arp-scan 198.18.0.0/24"
ip netns exec "$S" timeout 30 arp-scan -I scan0 -q -x 198.18.0.0/24 >"$TMP/arpscan.raw" ||
	fail "arp-scan failed"
awk '{ print $1, $2 }' "$TMP/arpscan.raw" | sort -u >"$TMP/arpscan"
sleep 1.5       # the sleepy hosts fall asleep again

say "netmon-arpd --once --dump"
ip netns exec "$S" timeout 30 "$BIN" --once --interface scan0 --range 198.18.0.0/24 --dump \
	>"$TMP/arpd.raw" 2>"$TMP/arpd.log" || fail "arpd --once exited $?"
"$PY" -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    assert set(d) == {"ip", "mac"}, d
    print(d["ip"], d["mac"])' "$TMP/arpd.raw" | sort >"$TMP/arpd" || fail "arpd printed something that is not {\"ip\",\"mac\"} JSON"
cat "$TMP/arpd.log"
echo "arp-scan found $(wc -l <"$TMP/arpscan"), arpd found $(wc -l <"$TMP/arpd"), hosts: 40"
missing=$(comm -23 "$TMP/arpscan" "$TMP/arpd")
[ -z "$missing" ] || fail "arpd missed hosts arp-scan found: $missing"
ghosts=$(comm -13 "$TMP/truth" "$TMP/arpd")
[ -z "$ghosts" ] || fail "arpd reported hosts that do not exist: $ghosts"
[ "$(wc -l <"$TMP/arpd")" -eq 40 ] || fail "arpd found $(wc -l <"$TMP/arpd") of the 40 hosts (the sleepy ones too)"

say "daemon: passive learning, timeout, events, IPv6"
ip -n "$S" -6 addr add 2001:db8::1/64 dev scan0 nodad
lan_config "$TMP" "198.18.0.0/24, 2001:db8::/64" "device_timeout_seconds = 3
forget_seconds = 600"
lan_agent_start --dump
grep "sweep:" "$TMP/arpd.log"

# host 10 leaves; host 11 keeps talking
leaver=$(sed -n 10p "$LAN_DIR/hosts"); leaver_ns=${leaver#* }; leaver_ip=${leaver% *}
leaver_mac=$(mac_of "$leaver_ns")
ip netns del "$leaver_ns"
stayer=$(sed -n 11p "$LAN_DIR/hosts"); stayer_ns=${stayer#* }
# a newcomer: joins now, after the sweep; the next sweep is an hour away
lan_host "$T" 41 198.18.0.2 || fail "cannot add a host"
join_ms=$("$PY" -c 'import time; print(int(time.time() * 1000))')
talk "${T}h41" 198.18.0.1 || fail "newcomer could not send"
# host 12 changes its MAC
mover=$(sed -n 12p "$LAN_DIR/hosts"); mover_ns=${mover#* }; mover_ip=${mover% *}
mover_old=$(mac_of "$mover_ns")
ip -n "$mover_ns" link set eth0 address 02:18:00:00:ee:0c
talk "$mover_ns" 198.18.0.1 flush
# host 42 claims host 13's address; they take turns
dup=$(sed -n 13p "$LAN_DIR/hosts"); dup_ns=${dup#* }; dup_ip=${dup% *}
lan_host "$T" 42 "$dup_ip" || fail "cannot add a host"
talk "${T}h42" 198.18.0.1 flush
sleep 0.2
talk "$dup_ns" 198.18.0.1 flush
sleep 0.2
talk "${T}h42" 198.18.0.1 flush
# an IPv6-only host
ip netns add "${T}h43" && LAN_NSLIST="$LAN_NSLIST ${T}h43"
ip -n "${T}b" link add p43 type veth peer name eth0 netns "${T}h43"
ip -n "${T}b" link set p43 master br0 up
ip -n "${T}h43" link set eth0 address 02:18:00:00:00:2b
ip -n "${T}h43" -6 addr add 2001:db8::43/64 dev eth0 nodad
ip -n "${T}h43" link set eth0 up
sleep 0.3
talk "${T}h43" 2001:db8::1 || fail "IPv6 host could not send"

# a host on VLAN 7 of the same wire: its ARP request carries an 802.1Q tag
# (written raw: this kernel may have no 8021q module for a VLAN interface)
lan_host "$T" 44 198.18.0.44 || fail "cannot add a host"
ip netns exec "${T}h44" timeout 5 "$PY" -c "
import socket, struct
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('eth0', 0))
mac = s.getsockname()[4][:6]
arp = struct.pack('!HHBBH', 1, 0x0800, 6, 4, 1) + mac + socket.inet_aton('198.18.7.44') \
    + bytes(6) + socket.inet_aton('198.18.7.1')
s.send(b'\xff' * 6 + mac + struct.pack('!HHH', 0x8100, 7, 0x0806) + arp)" ||
	fail "cannot send a tagged ARP request"

for i in 1 2 3 4 5; do           # 5 s > the 3 s timeout
	talk "$stayer_ns" 198.18.0.1 flush
	sleep 1
done
sleep 1.2     # one more table to the reporter, one more snapshot
lan_agent_stop
tail -n 5 "$TMP/arpd.log"

"$PY" - "$TMP/arpd.out" "$join_ms" "$leaver_mac" "$(mac_of "$stayer_ns")" "$mover_ip" \
	"$mover_old" "$dup_ip" "$leaver_ip" <<'PYEOF' || fail "daemon checks failed"
import datetime, json, sys
out, join_ms, leaver, stayer, mover_ip, mover_old, dup_ip, leaver_ip = sys.argv[1:]
devs, events = {}, []
for line in open(out):
    d = json.loads(line)
    if "event" in d:
        events.append(d)
    else:
        devs[d["mac"]] = d
def ms(iso):
    return int(datetime.datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ")
               .replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
ok = True
def check(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and cond
new = devs.get("02:18:00:00:00:29")
check(new is not None and new["ipv4"] == ["198.18.0.2"] and "sweep" not in new["seenBy"]
      and "arp" in new["seenBy"], "newcomer learned passively: %s" % new)
check(new is not None and ms(new["firstSeen"]) - int(join_ms) < 1000,
      "newcomer known within a second of its first ARP")
check(leaver in devs and devs[leaver]["status"] == "inactive", "leaver inactive: %s" % devs.get(leaver))
check(stayer in devs and devs[stayer]["status"] == "active", "talking host active")
check(any(e["event"] == "ip_moved" and e["ip"] == mover_ip and e["oldMac"] == mover_old
          and e["newMac"] == "02:18:00:00:ee:0c" for e in events), "MAC change reported")
check(any(e["event"] == "flip_flop" and e["ip"] == dup_ip for e in events),
      "two hosts claiming %s reported" % dup_ip)
v6 = devs.get("02:18:00:00:00:2b")
check(v6 is not None and "2001:db8::43" in v6["ipv6"] and v6["ipv4"] == [] and "nd" in v6["seenBy"],
      "IPv6-only host from ND: %s" % v6)
vlan = devs.get("02:18:00:00:00:2c")
check(vlan is not None and "198.18.7.44" in vlan["ipv4"], "802.1Q-tagged ARP learned: %s" % vlan)
check(all(d["locallyAdministered"] for m, d in devs.items() if m.startswith("02:")),
      "locally administered MACs flagged")
check(not any(leaver_ip in d["ipv4"] and d["status"] == "active" for d in devs.values()),
      "no active device holds the leaver's address")
sys.exit(0 if ok else 1)
PYEOF

say "the reporter's snapshots"
# the snapshot taken while arpd was still connected (the last one says "missing")
grep '"discovery":{"state":"connected"' "$TMP/snaps.jsonl" | tail -n 1 >"$TMP/last.json"
[ -s "$TMP/last.json" ] || grep -c . "$TMP/snaps.jsonl" >&2
[ -s "$TMP/last.json" ] || fail "no snapshot with arpd connected"
"$PY" tests/tools/validate_payload.py "$TMP/snaps.jsonl" || fail "snapshots do not validate"
"$PY" - "$TMP/last.json" "$leaver_mac" "$(mac_of "$stayer_ns")" "$mover_ip" "$dup_ip" <<'PYEOF' ||
import json, sys
snap = json.load(open(sys.argv[1]))
leaver, stayer, mover_ip, dup_ip = sys.argv[2:]
devs = snap["network"]["connectedDevices"]
by_mac = {}
for d in devs:
    if d["mac"]:
        by_mac.setdefault(d["mac"], []).append(d)
ok = True
def check(cond, what):
    global ok
    print(("ok   " if cond else "FAIL ") + what)
    ok = ok and cond
check(len(by_mac) >= 42, "%d devices with a MAC from arpd (no capd: zero bandwidth)" % len(by_mac))
check(all(d["bandwidth"]["rxBytesTotal"] == 0 for d in devs), "arpd-only devices have zero bandwidth")
check(by_mac.get(leaver, [{}])[0].get("status") == "inactive", "leaver inactive in the snapshot")
check(by_mac.get(stayer, [{}])[0].get("status") == "active", "talking host active in the snapshot")
new = by_mac.get("02:18:00:00:00:29", [{}])[0]
check(new.get("ip") == "198.18.0.2" and "arp" in new.get("seenBy", []), "newcomer listed: %s" % new)
v6 = by_mac.get("02:18:00:00:00:2b", [{}])[0]
check("2001:db8::43" in v6.get("ipv6", []) and ":" in v6.get("ip", ""), "IPv6-only host listed: %s" % v6)
check(all(d["locallyAdministered"] and d["vendor"] is None and d["firstSeen"] <= d["lastSeen"]
          for m, d in ((m, l[0]) for m, l in by_mac.items())), "additions present")
ev = snap["network"]["discoveryEvents"]
check(any(e["type"] == "ipMoved" and e["ip"] == mover_ip for e in ev), "ipMoved event")
check(any(e["type"] == "flipFlop" and e["ip"] == dup_ip for e in ev), "flipFlop event")
disc = snap["network"]["discovery"]
check(disc["sweeps"] == 1 and disc["lastSweepFound"] == 40 and disc["tableUsed"] >= 43, "discovery: %s" % disc)
sys.exit(0 if ok else 1)
PYEOF
	fail "snapshot checks failed"
echo "PASS"
