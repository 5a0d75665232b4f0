#!/bin/sh
# time-limit: 120
# A helper that says a valid HELLO and then lies (issue 10, docs/protocol.md
# "What the reporter refuses"): tests/integration/misbehave.py, connected as
# capd and as arpd (with the uid the config allows), sends well-formed records
# with impossible values:
#   capd: a HELLO start time in 2096, heartbeat uptime going backwards, capture
#         statistics going backwards and with more frames than bytes, device
#         counters going backwards, growing by 2^62 bytes at once, more frames
#         than bytes, an older creation serial, a key twice in every record,
#         2^63-1 from a new serial every record (totals must saturate, not
#         wrap), received bytes for the broadcast MAC, an address outside
#         [agent] networks;
#   arpd: the MAC 00:00:00:00:00:00, one MAC twice in a generation, more
#         devices than [arpd] max_devices, first/last seen and an event time in
#         the year 73 million, a generation whose parts come out of order;
# then both flood the reporter for 6 s as fast as its sockets take records.
# The reporter must refuse or clamp each lie (the payload shows what the true
# records said, EXPECT_CAPD in misbehave.py) with a log line per kind and a
# bounded number of lines in all, emit every snapshot on time during the flood,
# keep its RSS within 8 MiB of what it was before the flood, and every payload
# must validate against docs/payload.schema.json with no integer beyond
# 2^63-1 and no time after now.
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh

FLOOD=6
RSS_GROWTH_MAX_KIB=8192
NMT_NETWORKS=198.18.0.0/16   # room for the flood's keys
nmt_init misbehave
nmt_config "[capd]
max_devices = 1024
[arpd]
max_devices = 16
[reporter]
resolve_names = no"
log=$NMT_TMP/reporter.log
rd=$NMT_TMP/run
fake() { # ROLE-CASE [ARGS]: misbehave.py as nobody, in the background, pid in $NMT_PID
	local sock=${1%%-*}
	ip netns exec "$NMT_NS" setpriv --reuid nobody --regid "$(id -g nobody)" --clear-groups \
		timeout 60 "$NMT_PY" "$NMT_DIR/misbehave.py" "$rd/$sock.sock" "$@" \
		>"$NMT_TMP/fake-$1.out" 2>&1 &
	NMT_PID=$!
	nmt_track $NMT_PID
}
# a check that failed is reported, and the test goes on to show every other one
FAILED=""
check_fail() { echo "FAIL: $*" >&2; FAILED="$FAILED
  $*"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
snapshots_at_least() { [ "$(nmt_lines)" -ge "$1" ]; }

nmt_start reporter
REPORTER=$NMT_PID
nmt_wait 5 "the reporter's sockets" test -S "$rd/capd.sock"
nmt_start sysd
nmt_wait 10 "sysd connected" nmt_helper_is sysd state connected

nmt_say "1. lies, as capd and as arpd"
fake capd-lies
CAPD=$NMT_PID
fake arpd-lies
ARPD=$NMT_PID
nmt_wait 10 "the lies sent" grep -q "lies sent" "$NMT_TMP/fake-capd-lies.out"
nmt_wait 10 "the lies sent" grep -q "lies sent" "$NMT_TMP/fake-arpd-lies.out"
now=$(nmt_lines)
nmt_wait 10 "two snapshots after the lies" snapshots_at_least $((now + 2))
nmt_alive "$REPORTER" || nmt_fail "the reporter exited"
for r in capd arpd sysd; do
	nmt_helper_is $r state connected || nmt_fail "$r is $(nmt_helper $r state), not connected: a lie closed it?"
done
head -n "$(nmt_lines)" "$NMT_SNAPS" >"$NMT_TMP/lies.jsonl"

# one log line for each kind of lie
for line in \
	"capd (pid .*): start time .* is in the future" \
	"capd: heartbeat refused: uptime 5000 ms after 20000 ms" \
	"capd: capture statistics refused: a counter went backwards" \
	"capd: capture statistics refused: more frames than bytes" \
	"capd: 7 of 9 device entries refused: 1 a counter went backwards, 1 a counter grew faster than any link, 1 more frames than bytes, 1 the creation serial went backwards, 1 the key twice in one record, 1 received traffic for a group MAC, 1 an address outside networks" \
	"capd: .* device totals held at the largest counter" \
	"arpd: device table generation 1 part 0: .* entries refused (1 with the MAC 00:00:00:00:00:00, .* beyond max_devices 16)" \
	"arpd: device table generation 1 lists 1 MACs twice" \
	"arpd: 1 device times in the future shown as now" \
	"arpd: device table generation 2 abandoned: part 1 of generation 3"; do
	grep -q -- "$line" "$log" || check_fail "no log line like '$line'"
done
# and counted in the snapshot, per helper
for f in "capd refusedValues" "capd clampedValues" "arpd refusedValues" "arpd clampedValues"; do
	set -- $f
	v=$(nmt_helper "$1" "$2")
	[ -n "$v" ] && [ "$v" -gt 0 ] || check_fail "agent.helpers.$1.$2 is '$v' after its lies"
done
nmt_say "counted: capd refused $(nmt_helper capd refusedValues) clamped $(nmt_helper capd clampedValues), arpd refused $(nmt_helper arpd refusedValues) clamped $(nmt_helper arpd clampedValues), sysd refused $(nmt_helper sysd refusedValues)"
[ "$(nmt_helper sysd refusedValues)" = 0 ] || check_fail "sysd told no lie but has refusedValues"
lies_lines=$(grep -c "refused\|held at\|shown as now\|abandoned\|in the future" "$log")
nmt_say "$lies_lines log lines for 21 records of lies"
[ "$lies_lines" -le 40 ] || check_fail "$lies_lines log lines for 21 records of lies"

"$NMT_PY" - "$NMT_TMP/lies.jsonl" <<'EOF'
import json, os, sys, time
sys.path.insert(0, "tests/integration")
import misbehave as m
last = [json.loads(l) for l in open(sys.argv[1]) if l.strip()][-1]
problems = []
devs = {}
for d in last["network"]["connectedDevices"]:
    devs.setdefault(d["ip"], []).append(d)
for ip, want in sorted(m.EXPECT_CAPD.items()):
    got = devs.get(ip)
    if want is None:
        if got:
            problems.append("%s is listed: %s" % (ip, got[0]["bandwidth"]))
        continue
    if not got:
        problems.append("%s is not listed" % ip)
        continue
    b = got[0]["bandwidth"]
    have = (b["rxBytesTotal"], b["txBytesTotal"], b["rxPacketsTotal"], b["txPacketsTotal"])
    print("%s: %s (expected %s)" % (ip, have, want))
    if have != want:
        problems.append("%s: %s, expected %s" % (ip, have, want))
cap = last["network"]["capture"]
if (cap["packets"], cap["bytes"]) != m.CAP_STATS_EXPECT:
    problems.append("capture %s, expected packets, bytes %s" % (cap, m.CAP_STATS_EXPECT))
# arpd: no zero MAC, no MAC twice, at most max_devices of its devices
macs = [d["mac"] for d in last["network"]["connectedDevices"] if d["mac"]]
if "00:00:00:00:00:00" in macs:
    problems.append("the zero MAC is listed")
if len(macs) != len(set(macs)):
    problems.append("a MAC is listed twice: %s" % sorted(x for x in macs if macs.count(x) > 1))
if len(set(macs)) > 16:
    problems.append("%d arpd devices listed, max_devices is 16" % len(set(macs)))
for mac in m.ARP_MACS_OK:
    if mac not in macs:
        problems.append("%s is not listed" % mac)
for ip in (m.ARP_DUP_IP, m.ARP_ZERO_IP):
    if ip in devs:
        problems.append("%s (a refused arpd entry) is listed" % ip)
print("arpd devices listed: %d" % len(set(macs)))
for p in problems:
    print("FAIL " + p)
sys.exit(1 if problems else 0)
EOF
[ $? -eq 0 ] || check_fail "the payload shows a lie"

nmt_say "2. a flood: as capd and as arpd, ${FLOOD} s as fast as the sockets take records"
nmt_stop $CAPD $ARPD
sleep 1.5
rss0=$(rss_kib "$REPORTER")
log0=$(wc -l <"$log")
from=$(($(nmt_lines) + 1))
fake capd-flood $FLOOD
CF=$NMT_PID
fake arpd-flood $FLOOD
AF=$NMT_PID
peak=$rss0
t=0
while nmt_alive $CF || nmt_alive $AF; do
	r=$(rss_kib "$REPORTER")
	[ "$r" -gt "$peak" ] && peak=$r
	sleep 0.2
	t=$((t + 1))
	[ $t -lt 150 ] || nmt_fail "the flood did not end"
done
wait $CF; wait $AF
nmt_untrack $CF; nmt_untrack $AF
rss1=$(rss_kib "$REPORTER")
nmt_alive "$REPORTER" || nmt_fail "the reporter exited during the flood"
capd_records=$(sed -n 's/^records //p' "$NMT_TMP/fake-capd-flood.out")
arpd_records=$(sed -n 's/^records //p' "$NMT_TMP/fake-arpd-flood.out")
flood_lines=$(($(wc -l <"$log") - log0))
nmt_say "flood: capd $capd_records records (1023 keys each), arpd $arpd_records records (~64 KiB each) in ${FLOOD} s"
nmt_say "reporter RSS: $rss0 KiB before, peak $peak KiB, $rss1 KiB after (bound: +$RSS_GROWTH_MAX_KIB KiB); $flood_lines log lines"
[ "${capd_records:-0}" -ge 100 ] || nmt_fail "only ${capd_records:-0} capd records: no flood"
[ "${arpd_records:-0}" -ge 100 ] || nmt_fail "only ${arpd_records:-0} arpd records: no flood"
[ $((peak - rss0)) -le $RSS_GROWTH_MAX_KIB ] ||
	check_fail "the reporter's RSS grew by $((peak - rss0)) KiB during the flood (bound $RSS_GROWTH_MAX_KIB)"
[ "$flood_lines" -le 80 ] || check_fail "$flood_lines log lines during the flood"
nmt_snap cadence "$NMT_CYCLE" "$from" || check_fail "snapshots late during the flood"

now=$(nmt_lines)
nmt_wait 10 "a snapshot after the flood" snapshots_at_least $((now + 1))
nmt_stop_all
"$NMT_PY" tests/tools/validate_payload.py "$NMT_SNAPS" >"$NMT_TMP/validate.out" 2>&1 ||
	check_fail "snapshots do not match docs/payload.schema.json: $(head -c 300 "$NMT_TMP/validate.out")"
# totals never go backwards through the lies (during the flood, far more keys
# than [capd] max_devices: the reporter forgets keys and starts them again,
# docs/payload.md, so the flood's keys are not checked for this)
"$NMT_PY" "$NMT_DIR/snapshots.py" monotonic "$NMT_TMP/lies.jsonl" || check_fail "a total went backwards"
"$NMT_PY" - "$NMT_SNAPS" <<'EOF' || check_fail "an impossible number in a payload"
import datetime, json, sys
limit = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=5)
bad = []
def walk(o, path):
    if isinstance(o, bool):
        return
    if isinstance(o, int):
        if not 0 <= o <= (1 << 63) - 1:
            bad.append("%s = %d" % (path, o))
    elif isinstance(o, float):
        if not 0 <= o < 2 ** 63:
            bad.append("%s = %r" % (path, o))
    elif isinstance(o, str) and len(o) == 24 and o.endswith("Z") and o[4] == "-" and o[10] == "T":
        t = datetime.datetime.strptime(o, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
        if t > limit:
            bad.append("%s = %s, in the future" % (path, o))
    elif isinstance(o, dict):
        for k, v in o.items():
            walk(v, path + "." + k)
    elif isinstance(o, list):
        for i, v in enumerate(o):
            walk(v, "%s[%d]" % (path, i))
n = 0
for line in open(sys.argv[1]):
    if line.strip():
        n += 1
        walk(json.loads(line), "snapshot %d" % n)
for b in bad[:10]:
    print("FAIL " + b)
print("%d snapshots, %d impossible numbers or times" % (n, len(bad)))
sys.exit(1 if bad else 0)
EOF
[ -z "$FAILED" ] || nmt_fail "$FAILED"
nmt_say "PASS"
