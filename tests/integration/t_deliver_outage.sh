#!/bin/sh
# time-limit: 240
# SPEC §8: nothing is lost to an outage or a reporter crash. The API answers
# 503 for 60 one-second cycles (the reporter is SIGKILLed and restarted in the
# middle of it); then it accepts. Every snapshot the reporter wrote to stdout
# arrives at the API exactly once, in order, with Content-Type, the Bearer
# key and Idempotency-Key = snapshotId; collection never paused (one snapshot
# per cycle on stdout throughout).
. tests/integration/lib.sh

OUTAGE=${NMT_OUTAGE:-60}
nmt_init deliver veth
API_LOG=$NMT_TMP/api.jsonl
MODE=$NMT_TMP/mode
KEY=nmt-key-$$-secret
printf '%s\n' "$KEY" >"$NMT_TMP/api.key"
chmod 600 "$NMT_TMP/api.key"
echo 503 >"$MODE"
nmt_config "[reporter]
api_url = http://127.0.0.1:8080/v1/snapshots
api_key_file = $NMT_TMP/api.key
outputs = http, stdout
timeout_seconds = 5"
nmt_api 8080 "$API_LOG" "$MODE"

# traffic for capd to count: 10 datagrams a second from the peer namespace
nmt_udp_traffic 88 0.1
nmt_start reporter
R=$NMT_PID
nmt_wait 5 "the reporter's sockets" test -S "$NMT_TMP/run/capd.sock"
nmt_start capd
nmt_wait 10 "capd counting" sh -c \
	"[ \"\$($NMT_PY $NMT_DIR/snapshots.py field $NMT_SNAPS network.capture.packets)\" -gt 0 ]"
# a capd restart: its first instance's counts are banked in the reporter
# only, which must survive the reporter's SIGKILL below
C=$NMT_PID
nmt_kill9 "$C"
nmt_start capd
nmt_wait 10 "capd back after its restart" sh -c \
	"[ \"\$($NMT_PY $NMT_DIR/snapshots.py field $NMT_SNAPS agent.helpers.capd.instances)\" -eq 2 ]"
half=$((OUTAGE / 2))
nmt_say "API down (503) for $OUTAGE s; SIGKILL the reporter after $half s"
sleep "$half"
nmt_kill9 "$R"
n_before=$(nmt_lines)
packets_before=$(nmt_snap field network.capture.packets)
# down for 5 s: capd counts on, and those bytes must land in the totals
# without showing up as one window's rate
sleep 5
nmt_start reporter
R=$NMT_PID
nmt_wait 10 "capd back" sh -c "[ \"\$($NMT_PY $NMT_DIR/snapshots.py helper $NMT_SNAPS capd records 2>/dev/null)\" -gt 2 ]"
packets_after=$(nmt_snap field network.capture.packets)
[ "$packets_after" -ge "$packets_before" ] ||
	nmt_fail "capture.packets fell from $packets_before to $packets_after across the reporter's SIGKILL"
nmt_say "capture.packets $packets_before before the SIGKILL, $packets_after after: totals continue"
sleep $((OUTAGE - half))
attempts=$("$NMT_PY" "$NMT_DIR/deliveries.py" attempts "$API_LOG")
[ "$attempts" -ge 3 ] || nmt_fail "only $attempts attempts during the outage"
[ "$("$NMT_PY" "$NMT_DIR/deliveries.py" count "$API_LOG")" -eq 0 ] || nmt_fail "2xx during the outage?"
nmt_say "outage over after $attempts refused attempts; $(nmt_lines) snapshots so far ($n_before before the kill)"
echo ok >"$MODE"
# backoff is at most 30 s; then the backlog goes out back to back
want=$(nmt_lines)
nmt_wait 60 "the backlog of $want snapshots delivered" sh -c \
	"[ \$($NMT_PY $NMT_DIR/deliveries.py count $API_LOG) -ge $want ]"
sleep 2
# collection never paused (checked while the reporter still runs: it compares
# the newest snapshot with the clock)
nmt_snap cadence "$NMT_CYCLE" "$((n_before + 1))" || nmt_fail "collection paused"
nmt_stop_all
"$NMT_PY" "$NMT_DIR/deliveries.py" ordered "$API_LOG" "$NMT_SNAPS" || nmt_fail "delivery"
"$NMT_PY" "$NMT_DIR/deliveries.py" headers "$API_LOG" "$KEY" || nmt_fail "headers"
grep -q "$KEY" "$NMT_TMP"/*.log && nmt_fail "the API key appears in a log"
nmt_snap monotonic || nmt_fail "a total went backwards"
"$NMT_PY" - "$NMT_SNAPS" "$n_before" <<'PY' || nmt_fail "rate spike after the reporter's restart"
import json, sys
snaps = [json.loads(l) for l in open(sys.argv[1]) if l.endswith("\n")]
n = int(sys.argv[2])
def peak(ss):
    return max((d["bandwidth"]["rxRateBps"] + d["bandwidth"]["txRateBps"]
                for s in ss for d in s["network"]["connectedDevices"]), default=0)
before, after = peak(snaps[2:n]), peak(snaps[n:])
# 5 s of traffic in one 1 s window would be ~5x the steady rate
if after > 2.5 * before:
    sys.exit("peak device rate %d bit/s after the restart, %d before" % (after, before))
print("peak device rate %d bit/s before the SIGKILL, %d after the restart: no spike" % (before, after))
PY
nmt_validate
nmt_say "PASS"
