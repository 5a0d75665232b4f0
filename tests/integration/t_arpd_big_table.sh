#!/bin/sh
# time-limit: 120
# arpd's whole table reaches the reporter even when it is bigger than the
# socket's buffer (issue 9): 3000 devices announce themselves with
# gratuitous ARP and four IPv6 neighbour advertisements each (one MAC with
# a 60-character OUI vendor name, from the peer namespace); arpd learns them
# passively, and its generation of ARP_DEVICES parts (~470 KB, more than a
# Unix socket's default 208 KiB send buffer) must arrive whole: every one of
# the 3000 is in connectedDevices with its four IPv6 addresses, and once they
# are learned, every generation of the next seconds arrives whole
# (network.discovery.tableUpdates grows, tableUpdatesLost does not). Before parts
# waited for room (arpd/report.c) they were dropped when the socket was full,
# every second, and the reporter never completed a generation.
. tests/integration/lib.sh

N=3000
nmt_init bigtab veth
nmt_config "[arpd]
active_scan = no"
sed -i 's|^networks = .*|networks = 198.18.0.0/20|' "$NMT_CONF"
nmt_start reporter
nmt_wait 5 "the reporter's sockets" test -S "$NMT_TMP/run/arpd.sock"
nmt_start arpd
nmt_wait 10 "arpd connected" nmt_helper_is arpd state connected

ip netns exec "$NMT_PEER" timeout 30 "$NMT_PY" - "$N" <<'PY' || nmt_fail "could not send the announcements"
import socket, struct, sys, time
n = int(sys.argv[1])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("veth1", 0))
for i in range(n):
    # D8:97:90: "Commonwealth Scientific and Industrial Research Organisation"
    mac = bytes([0xd8, 0x97, 0x90, 0x00, (i >> 8) & 0xff, i & 0xff])
    ip = bytes([198, 18, 1 + (i >> 8), i & 0xff])
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, mac, ip, b"\xff" * 6, ip)
    s.send(b"\xff" * 6 + mac + b"\x08\x06" + arp + b"\0" * 18)
    for k in range(4):
        # unsolicited NA for 2001:db8::k:i with the MAC as target link-layer address
        target = bytes.fromhex("20010db8000000000000") + struct.pack("!HHH", k, i >> 16, i & 0xffff)
        icmp = struct.pack("!BBHI16sBB6s", 136, 0, 0, 0x20000000, target, 2, 1, mac)
        ip6 = struct.pack("!IHBB16s16s", 0x60000000, len(icmp), 58, 255,
                          bytes.fromhex("fe80000000000000") + mac[:3] + b"\xff\xfe" + mac[3:5],
                          bytes.fromhex("ff020000000000000000000000000001"))
        s.send(bytes.fromhex("333300000001") + mac + b"\x86\xdd" + ip6 + icmp)
    if i % 25 == 24:
        time.sleep(0.02)   # arpd's receive buffer: this is not a test of its size
PY

have_all() {
	"$NMT_PY" - "$NMT_SNAPS" "$N" <<'PY'
import json, sys
lines = open(sys.argv[1], "rb").read().split(b"\n")[:-1]
s = json.loads(lines[-1])
macs = {d.get("mac") for d in s["network"].get("connectedDevices", []) if len(d.get("ipv6", [])) == 4}
want = {"d8:97:90:00:%02x:%02x" % (i >> 8, i & 0xff) for i in range(int(sys.argv[2]))}
sys.exit(0 if want <= macs else 1)
PY
}
nmt_wait 20 "all $N announced devices in connectedDevices" have_all
used=$(nmt_snap field network.discovery.tableUsed)
nmt_say "arpd's table: $used devices; the snapshot lists all $N"
[ "$used" -ge "$N" ] || nmt_fail "arpd's table holds $used devices, fewer than $N"
# and it stays whole, generation after generation
sleep 2    # generations begun while devices were still arriving have ended
upd0=$(nmt_snap field network.discovery.tableUpdates)
lost0=$(nmt_snap field network.discovery.tableUpdatesLost)
sleep 5
upd1=$(nmt_snap field network.discovery.tableUpdates)
lost1=$(nmt_snap field network.discovery.tableUpdatesLost)
nmt_say "table generations in 5 s: $((upd1 - upd0)) whole, $((lost1 - lost0)) lost (sendDrops $(nmt_helper arpd sendDrops))"
have_all || nmt_fail "a later snapshot lost devices"
[ $((upd1 - upd0)) -ge 3 ] || nmt_fail "only $((upd1 - upd0)) whole generations of arpd's table in 5 s"
[ "$lost1" -eq "$lost0" ] || nmt_fail "$((lost1 - lost0)) generations of arpd's table lost in 5 s"
nmt_stop_all
nmt_validate
nmt_say PASS
