#!/bin/sh
# prometheus:PATH, read by the real thing: Debian's prometheus-node-exporter
# serves the reporter's textfile and a real Prometheus server scrapes it, both
# on the test namespace's loopback. While a peer sends a steady UDP stream
# through the capture interface, and after it stops:
#   * promtool check metrics finds nothing wrong with the textfile;
#   * a PromQL query returns the device's byte counter equal to the payload's
#     txBytesTotal once traffic has stopped (exact);
#   * rate() of it x 8 agrees with the payload's txRateBps during the steady
#     stream within 15 % (Prometheus extrapolates over scrape instants that
#     are not the reporter's windows; the stream itself is paced, not exact).
# Hostile label values (quote, backslash, newline) are covered by
# tests/unit/test_prom.c.
# time-limit: 240
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh

for b in prometheus prometheus-node-exporter promtool; do
	command -v "$b" >/dev/null 2>&1 || nmt_skip "needs $b (Debian: prometheus, prometheus-node-exporter)"
done
nmt_init prom veth
TEXTDIR=$NMT_TMP/textfile
mkdir -p "$TEXTDIR"
chown nobody "$TEXTDIR"
nmt_config "[reporter]
outputs = stdout, prometheus:$TEXTDIR/netmon.prom"

nmt_start reporter
nmt_wait 5 "the reporter's sockets" test -S "$NMT_TMP/run/capd.sock"
nmt_start capd
nmt_wait 10 "capd connected" nmt_helper_is capd state connected
nmt_wait 10 "the textfile" test -s "$TEXTDIR/netmon.prom"

ip netns exec "$NMT_NS" prometheus-node-exporter --web.listen-address=127.0.0.1:19100 \
	--collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$TEXTDIR" >"$NMT_TMP/node_exporter.log" 2>&1 &
nmt_track $!
printf 'global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: netmon\n    static_configs:\n      - targets: [127.0.0.1:19100]\n' \
	>"$NMT_TMP/prometheus.yml"
ip netns exec "$NMT_NS" prometheus --config.file="$NMT_TMP/prometheus.yml" \
	--storage.tsdb.path="$NMT_TMP/tsdb" --web.listen-address=127.0.0.1:19090 \
	>"$NMT_TMP/prometheus.log" 2>&1 &
nmt_track $!

query() { # PROMQL -> the first sample's value; fails when there is none
	ip netns exec "$NMT_NS" "$NMT_PY" -c '
import json, sys, urllib.parse, urllib.request
url = "http://127.0.0.1:19090/api/v1/query?" + urllib.parse.urlencode({"query": sys.argv[1]})
try:
    r = json.load(urllib.request.urlopen(url, timeout=2))
except Exception:
    sys.exit(1)
res = r.get("data", {}).get("result", [])
if not res:
    sys.exit(1)
print(res[0]["value"][1])' "$1"
}
peer_field() { # FIELD of 198.18.0.2 in snapshot line N from the end
	tail -n "$2" "$NMT_SNAPS" | head -n 1 | "$NMT_PY" -c '
import json, sys
snap = json.loads(sys.stdin.readline())
for d in snap["network"]["connectedDevices"]:
    if d["ip"] == "198.18.0.2":
        print(d["bandwidth"][sys.argv[1]])' "$1"
}
has_series() { query 'netmon_capture_packets_total' >/dev/null; }
nmt_wait 60 "Prometheus scraping the textfile through node_exporter" has_series

# a steady stream from the peer (198.18.0.2) through the capture side: 400
# frames/s of 1000-byte UDP payloads for 14 s, paced by the clock
ip netns exec "$NMT_PEER" "$NMT_PY" -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
payload = b"x" * 1000
start = time.monotonic()
for i in range(400 * 14):
    s.sendto(payload, ("198.18.0.1", 9))
    delay = start + (i + 1) / 400 - time.monotonic()
    if delay > 0:
        time.sleep(delay)' >"$NMT_TMP/sender.log" 2>&1 &
SENDER=$!
nmt_track $SENDER
sleep 9
prom_rate=$(query 'rate(netmon_device_bytes_total{ip="198.18.0.2",direction="tx"}[4s]) * 8') ||
	nmt_fail "no rate() for the peer's tx bytes"
payload_rate=$(peer_field txRateBps 2)
nmt_say "during the stream: Prometheus rate() x 8 = $prom_rate bit/s, payload txRateBps = $payload_rate"
"$NMT_PY" -c 'import sys; p, q = float(sys.argv[1]), float(sys.argv[2]); sys.exit(0 if q > 0 and abs(p - q) <= 0.15 * q else 1)' \
	"$prom_rate" "${payload_rate:-0}" ||
	nmt_fail "rate() $prom_rate and txRateBps $payload_rate differ by more than 15 %"

wait $SENDER
nmt_untrack $SENDER
sleep 3
want=$(peer_field txBytesTotal 1)
[ -n "$want" ] && [ "$want" -gt 5000000 ] || nmt_fail "payload txBytesTotal for 198.18.0.2 is '$want'"
same_total() { [ "$(query 'netmon_device_bytes_total{ip="198.18.0.2",direction="tx"}')" = "$want" ]; }
nmt_wait 10 "Prometheus' counter equal to the payload's $want" same_total
nmt_say "Prometheus holds netmon_device_bytes_total{ip=\"198.18.0.2\",direction=\"tx\"} = $want, as the payload"

nmt_stop_all
promtool check metrics <"$TEXTDIR/netmon.prom" >"$NMT_TMP/promtool.log" 2>&1 ||
	nmt_fail "promtool check metrics: $(head -n 5 "$NMT_TMP/promtool.log")"
[ -s "$NMT_TMP/promtool.log" ] && nmt_fail "promtool check metrics: $(head -n 5 "$NMT_TMP/promtool.log")"
nmt_say "PASS: promtool clean; Prometheus' counter and rate agree with the payload"
