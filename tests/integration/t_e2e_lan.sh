#!/bin/sh
# time-limit: 150
# The whole agent end to end on a LAN of network namespaces (issue 10): the
# reporter, capd, arpd and sysd run in the monitor's namespace on scan0
# (198.18.0.1), five hosts sit on a bridge that floods every frame to every
# port (a mirror port: the monitor sees host-to-host traffic too). Hosts and
# the monitor send each other known UDP datagrams of fixed sizes (1 to 1472
# payload bytes: frames of 43 to 1514 bytes), one host stays silent. After the
# daemons are stopped, the last snapshot must show, for every address:
#   * rx/txBytesTotal and rx/txPacketsTotal equal to what the test sent
#     (14 + 20 + 8 + payload bytes per frame, SPEC section 4: frame length on
#     the wire, tx to the IP source, rx to the IP destination), and equal to an
#     independent capture of scan0 (tcpdump in the same namespace for longer
#     than capd ran, summed per IP by the same rules in e2e_traffic.py: the ARP
#     of the sweep and of the hosts, and any IPv6, count for no address);
#   * the host's MAC (its eth0), from arpd;
#   * the silent host listed with zero traffic; no address the test did not use
#     (but IPv6 link-local addresses of the LAN's own links, which arpd learns
#     from neighbour discovery, with zero traffic: the test's networks are IPv4);
# capture drops 0, every snapshot valid against docs/payload.schema.json, no
# total going backwards. The sinks received every datagram sent.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh

command -v tcpdump >/dev/null 2>&1 || nmt_skip "needs tcpdump"
HOSTS=5
PORT=40000
nmt_init e2elan
nmt_lan $HOSTS hub
# reverse DNS off: its queries (to this machine's resolver, unreachable from
# here) would be the only IPv4 the test does not send itself
nmt_config "[reporter]
resolve_names = no"

ns_of() { [ "$1" = 0 ] && echo "$NMT_NS" || sed -n "${1}p" "$LAN_DIR/hosts" | cut -d' ' -f2; }
ip_of() { [ "$1" = 0 ] && echo 198.18.0.1 || sed -n "${1}p" "$LAN_DIR/hosts" | cut -d' ' -f1; }
mac_of() { # K
	local dev=eth0
	[ "$1" = 0 ] && dev=scan0
	ip -n "$(ns_of "$1")" -o link show "$dev" | sed 's/.*link\/ether \([0-9a-f:]*\).*/\1/'
}

# the independent count: every frame on scan0, from before capd starts to after it stops
ip netns exec "$NMT_NS" tcpdump -Z root -i scan0 -s 128 -U -w "$NMT_TMP/wire.pcap" \
	2>"$NMT_TMP/tcpdump.log" &
TCPDUMP=$!
nmt_track $TCPDUMP
nmt_wait 10 "tcpdump listening" grep -q "listening on scan0" "$NMT_TMP/tcpdump.log"

nmt_start_all
# arpd's start-up sweep has found every host (their MACs are in the snapshot)
macs_known() {
	"$NMT_PY" - "$NMT_SNAPS" "$HOSTS" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().split("\n")[:-1]
devs = json.loads(lines[-1])["network"]["connectedDevices"] if lines else []
sys.exit(0 if sum(1 for d in devs if d["mac"]) >= int(sys.argv[2]) else 1)
EOF
}
nmt_wait 15 "arpd's sweep found the $HOSTS hosts" macs_known

# a sink on every host and on the monitor, so no datagram draws an ICMP error
SINKS=""
k=0
while [ $k -le $HOSTS ]; do
	ip netns exec "$(ns_of $k)" timeout 100 "$NMT_PY" "$NMT_DIR/e2e_traffic.py" sink $PORT \
		"$NMT_TMP/sink.$k.json" >"$NMT_TMP/sink.$k.out" 2>&1 &
	nmt_track $!
	SINKS="$SINKS $!"
	k=$((k + 1))
done
k=0
while [ $k -le $HOSTS ]; do
	nmt_wait 10 "sink $k listening" grep -q listening "$NMT_TMP/sink.$k.out"
	k=$((k + 1))
done

# the flows: FROM TO DATAGRAMS PAYLOAD (host numbers, 0 = the monitor); host 5 is silent
cat >"$NMT_TMP/flows" <<EOF
1 2 200 1000
2 1 50 1
3 0 120 1472
0 3 30 300
4 1 77 18
1 4 10 555
2 3 64 1200
4 0 33 46
EOF
nmt_say "sending $(awk '{ n += $3 } END { print n }' "$NMT_TMP/flows") datagrams in $(wc -l <"$NMT_TMP/flows") flows at once"
SENDERS=""
i=0
while read -r from to count size; do
	i=$((i + 1))
	ip netns exec "$(ns_of "$from")" timeout 60 "$NMT_PY" "$NMT_DIR/e2e_traffic.py" send \
		"$(ip_of "$from")" "$(ip_of "$to")" $PORT "$count" "$size" >"$NMT_TMP/plan.$i" 2>&1 &
	SENDERS="$SENDERS $!"
done <"$NMT_TMP/flows"
for p in $SENDERS; do
	wait "$p" || nmt_fail "a sender failed: $(cat "$NMT_TMP"/plan.* | grep -v '^{')"
done
cat "$NMT_TMP"/plan.* >"$NMT_TMP/plan.jsonl"

# capd flushes every second, a snapshot every cycle: three more snapshots
after=$(nmt_lines)
snapshots_at_least() { [ "$(nmt_lines)" -ge "$1" ]; }
nmt_wait 15 "three snapshots after the traffic" snapshots_at_least $((after + 3))
for p in $NMT_REPORTER $NMT_SYSD $NMT_ARPD $NMT_CAPD; do
	nmt_alive "$p" || nmt_fail "pid $p exited"
done
nmt_stop $NMT_CAPD $NMT_ARPD $NMT_SYSD $NMT_REPORTER
nmt_stop $SINKS
nmt_stop $TCPDUMP
grep -q "^0 packets dropped by kernel" "$NMT_TMP/tcpdump.log" ||
	nmt_fail "tcpdump dropped frames: $(grep dropped "$NMT_TMP/tcpdump.log" | tr '\n' ' ')"

nmt_validate
nmt_snap monotonic || nmt_fail "a total went backwards"

"$NMT_PY" "$NMT_DIR/e2e_traffic.py" expect "$NMT_TMP/plan.jsonl" >"$NMT_TMP/expect.json" ||
	nmt_fail "cannot sum the plan"
"$NMT_PY" "$NMT_DIR/e2e_traffic.py" pcap "$NMT_TMP/wire.pcap" 198.18.0.0/24 >"$NMT_TMP/wire.json" ||
	nmt_fail "cannot read tcpdump's capture"
k=0
: >"$NMT_TMP/hosts.txt"
while [ $k -le $HOSTS ]; do
	echo "$(ip_of $k) $(mac_of $k) $k" >>"$NMT_TMP/hosts.txt"
	k=$((k + 1))
done
# every link-layer address on the LAN (the bridge's own links speak IPv6 ND)
for ns in "$NMT_NS" "${NMT_LAN}b" $(cut -d' ' -f2 "$LAN_DIR/hosts"); do
	ip -n "$ns" -o link show | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
done >"$NMT_TMP/lan_macs.txt"

"$NMT_PY" - "$NMT_SNAPS" "$NMT_TMP" <<'EOF' || nmt_fail "the payload does not match the traffic the test sent"
import glob, json, os, sys
snaps, tmp = sys.argv[1], sys.argv[2]
last = [json.loads(l) for l in open(snaps) if l.strip()][-1]
plan = json.load(open(os.path.join(tmp, "expect.json")))
wire = json.load(open(os.path.join(tmp, "wire.json")))
hosts = {}
for line in open(os.path.join(tmp, "hosts.txt")):
    ip, mac, k = line.split()
    hosts[ip] = (mac, int(k))
lan_macs = set(open(os.path.join(tmp, "lan_macs.txt")).read().split())
problems = []
fr = wire["frames"]
print("on scan0 (tcpdump): %s" % ", ".join("%s %d frames %d bytes" % (k, v[0], v[1])
                                            for k, v in sorted(fr.items())))

# every datagram the plan sent arrived (so it was on the wire once)
sent = {}
for line in open(os.path.join(tmp, "plan.jsonl")):
    f = json.loads(line)
    n = sent.setdefault((f["src"], f["dst"]), [0, 0])
    n[0] += f["frames"]
for path in glob.glob(os.path.join(tmp, "sink.*.json")):
    k = int(path.split(".")[-2])
    me = [ip for ip, (_, kk) in hosts.items() if kk == k][0]
    for src, (count, _) in json.load(open(path)).items():
        want = sent.get((src, me), [0])[0]
        if count != want:
            problems.append("sink %s got %d datagrams from %s, %d were sent" % (me, count, src, want))

devs = {}
for d in last["network"]["connectedDevices"]:
    if d["ip"] in devs:
        problems.append("%s listed twice" % d["ip"])
    devs[d["ip"]] = d
names = ("rxBytes", "txBytes", "rxPackets", "txPackets")
print("%-13s %-17s %-36s %-36s %s" % ("ip", "mac", "sent (rxB txB rxP txP)", "tcpdump", "payload"))
for ip in sorted(set(hosts) | set(devs) | set(plan) | set(wire["ips"])):
    want = plan.get(ip, [0, 0, 0, 0])
    seen = wire["ips"].get(ip, [0, 0, 0, 0])
    d = devs.get(ip)
    got = None
    if d:
        b = d["bandwidth"]
        got = [b["rxBytesTotal"], b["txBytesTotal"], b["rxPacketsTotal"], b["txPacketsTotal"]]
    print("%-13s %-17s %-36s %-36s %s" % (ip, d["mac"] if d else "-", want, seen, got))
    if ":" in ip and d and d["mac"] in lan_macs and got == [0, 0, 0, 0]:
        continue  # a link of the LAN only arpd's ND saw (the bridge's): no IPv4 traffic
    if ip not in hosts:
        problems.append("%s is in the payload or on the wire but not on the LAN" % ip)
        continue
    mac, k = hosts[ip]
    if seen != want:
        problems.append("%s: tcpdump saw %s, the test sent %s (IPv4 the test did not send?)"
                        % (ip, seen, want))
    if got is None:
        problems.append("%s (host %d) is not in the payload" % (ip, k))
        continue
    for n, w, g in zip(names, want, got):
        if w != g:
            problems.append("%s: %sTotal %d in the payload, %d sent" % (ip, n, g, w))
    if k == 0:
        if d["mac"] not in ("", mac):
            problems.append("the monitor %s has MAC %r, scan0 is %s" % (ip, d["mac"], mac))
    elif d["mac"] != mac:
        problems.append("%s: MAC %r in the payload, its eth0 is %s" % (ip, d["mac"], mac))
cap = last["network"]["capture"]
if cap.get("psDrop") != 0 or cap.get("psIfdrop") != 0:
    problems.append("capture drops: %s" % json.dumps(cap))
if 0 in [k for _, k in hosts.values()] and not any(v[0] for v in plan.values()):
    problems.append("the plan sent nothing")
silent = [ip for ip, (_, k) in hosts.items() if ip not in plan and k != 0]
if not silent:
    problems.append("no silent host in the plan")
for p in problems:
    print("FAIL " + p)
print("%d addresses checked, %d problems" % (len(set(hosts) | set(devs)), len(problems)))
sys.exit(1 if problems else 0)
EOF
nmt_say "PASS: the payload's per-address totals equal the bytes and frames sent, MACs from arpd"
