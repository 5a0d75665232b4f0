#!/bin/sh
# capd live, end to end through the reporter, on generated traffic: inside a
# network namespace of its own, tcpreplay sends a generated pcap (full-length
# frames, every class a packet socket can send) at top speed into one end of a
# veth pair while capd captures on the other end and reports to the reporter.
# Two cycles after the replay, the reporter's last snapshot must show:
#   * every expected local IP with rx/txBytesTotal equal to the generator's
#     numbers (docs/payload.md: SPEC section 4 bytes), and no other device;
#   * capture.packets = the frames sent, capture.bytes = their wire bytes;
#   * capture.psDrop = capture.psIfdrop = 0, capd connected;
# and every snapshot must validate against docs/payload.schema.json.
# Needs root (exit 77 otherwise). Nothing leaves the namespace: the pair has no
# addresses and no IPv6, so the only frames on it are the replayed ones.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh

PACKETS=${NMT_LIVE_PACKETS:-200000}
HOSTS=${NMT_LIVE_HOSTS:-50}
NETS=198.18.0.0/15,2001:db8:1::/64
command -v tcpreplay >/dev/null 2>&1 || nmt_skip "needs tcpreplay"
nmt_init capdgen

ip netns exec "$NMT_NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip netns exec "$NMT_NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip -n "$NMT_NS" link add veth0 type veth peer name vsend || nmt_fail "cannot create the veth pair"
for i in veth0 vsend; do
	# 9000: QinQ frames of a 1500-byte IP packet are 1522 bytes
	ip -n "$NMT_NS" link set "$i" mtu 9000 up
done

cat >"$NMT_CONF" <<EOF
# written by tests/integration/t_capd_live.sh for one run
[agent]
server_id = $NMT_SERVER_ID
interface = veth0
networks = $NETS
cycle_seconds = $NMT_CYCLE
run_dir = $NMT_TMP/run
state_dir = $NMT_TMP/state
user = nobody
[capd]
buffer_mb = 64
EOF
chmod 644 "$NMT_CONF"

"$NMT_PY" tests/pcap/gen/gen_traffic.py --out "$NMT_TMP/live.pcap" --expected "$NMT_TMP/expected.jsonl" \
	--packets "$PACKETS" --hosts "$HOSTS" --seed 21 --snaplen 65535 --profile live --networks "$NETS" \
	2>"$NMT_TMP/gen.log" || nmt_fail "generator failed: $(cat "$NMT_TMP/gen.log")"
cat "$NMT_TMP/gen.log"
wire_bytes=$(sed -n 's/^gen_traffic: [0-9]* frames, \([0-9]*\) bytes on the wire.*/\1/p' "$NMT_TMP/gen.log")
[ -n "$wire_bytes" ] || nmt_fail "no wire byte total in the generator's summary"

nmt_start reporter
nmt_wait 5 "the reporter's capd socket" test -S "$NMT_TMP/run/capd.sock"
nmt_start capd
CAPD_PID=$NMT_PID
nmt_wait 10 "capd capturing" grep -q 'capturing on veth0' "$NMT_TMP/capd.log"
nmt_wait 10 "capd connected" nmt_helper_is capd state connected

ip netns exec "$NMT_NS" tcpreplay --topspeed --preload-pcap -i vsend "$NMT_TMP/live.pcap" \
	>"$NMT_TMP/replay.log" 2>&1 || nmt_fail "tcpreplay: $(tail -n 3 "$NMT_TMP/replay.log")"
sent=$(sed -n 's/.*Successful packets:[[:space:]]*\([0-9]*\).*/\1/p' "$NMT_TMP/replay.log")
failed=$(sed -n 's/.*Failed packets:[[:space:]]*\([0-9]*\).*/\1/p' "$NMT_TMP/replay.log")
nmt_say "tcpreplay: $(grep -E 'Rated:' "$NMT_TMP/replay.log" | sed 's/^[[:space:]]*//')"
[ "$sent" = "$PACKETS" ] && [ "$failed" = 0 ] ||
	nmt_fail "tcpreplay sent ${sent:-?} of $PACKETS frames, ${failed:-?} failed"

# two full cycles after the replay (a capd flush each second, a snapshot each cycle)
snapshots_at_least() { [ "$(nmt_lines)" -ge "$1" ]; }
after=$(nmt_lines)
nmt_wait 15 "two snapshots after the replay" snapshots_at_least $((after + 3))
nmt_alive "$CAPD_PID" || nmt_fail "capd exited"

# the final checks read a file nobody writes any more: with 18000 keys the
# reporter appends megabytes a second, and a reader would never catch up
nmt_stop_all
nmt_validate
nmt_snap monotonic || nmt_fail "a total went backwards"

"$NMT_PY" - "$NMT_SNAPS" "$NMT_TMP/expected.jsonl" "$PACKETS" "$wire_bytes" <<'EOF' || nmt_fail "the last snapshot does not match the generator"
import ipaddress, json, sys
snaps, expected_path, packets, wire_bytes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
last = None
for line in open(snaps):
    if line.strip():
        last = json.loads(line)
problems = []
cap = last["network"]["capture"]
for field, want in (("state", "connected"), ("packets", packets), ("bytes", wire_bytes),
                    ("psDrop", 0), ("psIfdrop", 0)):
    if cap.get(field) != want:
        problems.append("capture.%s = %r, expected %r" % (field, cap.get(field), want))
want = {}
for line in open(expected_path):
    rec = json.loads(line)
    if "ip" in rec:
        want[str(ipaddress.ip_address(rec["ip"]))] = (rec["rxBytes"], rec["txBytes"])
got = {}
for dev in last["network"]["connectedDevices"]:
    key = str(ipaddress.ip_address(dev["ip"]))
    if key in got:
        problems.append("%s listed twice" % key)
    got[key] = (dev["bandwidth"]["rxBytesTotal"], dev["bandwidth"]["txBytesTotal"])
for ip in sorted(set(want) | set(got)):
    if want.get(ip) != got.get(ip):
        problems.append("%s: expected (rx, tx) %s, reporter %s" % (ip, want.get(ip), got.get(ip)))
for p in problems[:20]:
    print(p)
print("%d local IPs expected, %d in the snapshot, %d problems; capture %s"
      % (len(want), len(got), len(problems), json.dumps(cap, sort_keys=True)))
sys.exit(1 if problems or not want else 0)
EOF
nmt_say "PASS: $PACKETS frames replayed at top speed; the reporter's totals equal the generator's, 0 drops"
