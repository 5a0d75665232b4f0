#!/bin/sh
# Live capture end to end, inside a network namespace of its own: capd
# captures on one end of a veth pair (privileges dropped, seccomp on) while
# tcpreplay sends fixture pcaps from the other end at top speed; at SIGTERM
# capd dumps its table, which must equal the fixtures' hand-made goldens
# multiplied by the loop counts, with no kernel drops. Needs root (skips).
set -u
. tests/pcap/lib.sh
LOOPS_ETH=${LOOPS_ETH:-300}
LOOPS_BC=${LOOPS_BC:-200}
need_live tcpreplay
need_bins "$CAPD"

ns=nmt-capd-live-$$
tmp=$(mktemp -d)
pid=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

veth_netns "$ns"

mkdir -p "$tmp/run"
cat >"$tmp/netmon.conf" <<CONF
[agent]
interface = vcap
networks = 192.0.2.0/24, fe80::/10
run_dir = $tmp/run
state_dir = $tmp/state
user = nobody
[capd]
buffer_mb = 8
CONF

ip netns exec "$ns" "$CAPD" -c "$tmp/netmon.conf" --dump >"$tmp/out" 2>"$tmp/err" &
pid=$!
i=0
until grep -q 'capturing on vcap' "$tmp/err"; do
	i=$((i + 1))
	if [ $i -gt 50 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "FAIL: capd did not start"; cat "$tmp/err"; exit 1
	fi
	sleep 0.1
done

ip netns exec "$ns" tcpreplay -q -i vsend --topspeed --loop="$LOOPS_ETH" "$FIX/eth_ipv4.pcap" \
	>"$tmp/replay.log" 2>&1 || { echo "FAIL: tcpreplay"; cat "$tmp/replay.log"; exit 1; }
ip netns exec "$ns" tcpreplay -q -i vsend --topspeed --loop="$LOOPS_BC" "$FIX/bcast_mcast.pcap" \
	>>"$tmp/replay.log" 2>&1 || { echo "FAIL: tcpreplay"; cat "$tmp/replay.log"; exit 1; }
sleep 1   # let the last TPACKET_V3 block time out into user space
kill -TERM "$pid"
wait "$pid"
st=$?
pid=""
cat "$tmp/err"
[ $st -eq 0 ] || { echo "FAIL: capd exit $st"; exit 1; }

# expected: each golden's counters times its loop count, merged and sorted
# the way --dump sorts (MACs, IPv4, IPv6; numeric order)
$PY - "$FIX/eth_ipv4.json" "$LOOPS_ETH" "$FIX/bcast_mcast.json" "$LOOPS_BC" >"$tmp/want" <<'PYEOF'
import ipaddress, json, sys
rows = {}
args = sys.argv[1:]
for path, loops in zip(args[0::2], args[1::2]):
    for line in open(path):
        o = json.loads(line)
        k = ("mac", o["mac"]) if "mac" in o else ("ip", o["ip"])
        r = rows.setdefault(k, dict.fromkeys(("rxBytes", "txBytes", "rxPackets", "txPackets"), 0))
        for c in r:
            r[c] += o[c] * int(loops)
def order(k):
    if k[0] == "mac":
        return (0, bytes.fromhex(k[1].replace(":", "")))
    a = ipaddress.ip_address(k[1])
    return (a.version // 2, a.packed)   # 4 -> 2, 6 -> 3
for k in sorted(rows, key=order):
    r = rows[k]
    print(json.dumps({k[0]: k[1], **r}, separators=(",", ":")))
PYEOF
if ! diff -u "$tmp/want" "$tmp/out"; then
	echo "FAIL: live counters differ from the goldens"; exit 1
fi
grep -q ', 0 dropped' "$tmp/err" || { echo "FAIL: kernel drops (or no drop count)"; exit 1; }
echo "ok: live counters equal the goldens ($LOOPS_ETH x eth_ipv4, $LOOPS_BC x bcast_mcast), 0 drops"

# start-up errors: one clear line, exit 1
# (the capture is never opened on a real interface: all inside $ns)
ip netns exec "$ns" "$CAPD" -c "$tmp/netmon.conf" -i nmt-no-such-if >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st -ne 1 ] || [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -q 'nmt-no-such-if: no such interface' "$tmp/err"; then
	echo "FAIL: missing interface: exit $st"; cat "$tmp/err"; exit 1
fi
echo "ok: missing interface: $(cat "$tmp/err")"
if command -v setpriv >/dev/null 2>&1; then
	chmod 755 "$tmp"
	ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$CAPD" -c "$tmp/netmon.conf" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ $st -ne 1 ] || [ "$(wc -l <"$tmp/err")" -ne 1 ] || ! grep -q 'vcap: permission denied' "$tmp/err"; then
		echo "FAIL: no privilege: exit $st"; cat "$tmp/err"; exit 1
	fi
	echo "ok: no privilege: $(cat "$tmp/err")"
fi
