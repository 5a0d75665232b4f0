#!/bin/sh
# time-limit: 240
# otlp:URL rides the same delivery layer as http, beside it, independently:
#  1. http, stdout and otlp deliver every cycle;
#  2. the OTLP endpoint hangs (every POST left unanswered) for 15 s: http and
#     stdout go on delivering every cycle, nothing waits for it;
#  3. it answers 503 for 20 s, and the reporter is SIGKILLed and restarted in
#     the middle: its OTLP spool (state_dir/otlp/spool) survives;
#  4. it answers with an OTLP partial success (5 points rejected): counted in
#     agent.outputs[otlp].rejectedDataPoints, logged once (rate-limited);
#  5. it accepts: the backlog goes out.
# Then every snapshot on stdout reached the OTLP endpoint exactly once, in
# order (matched by time), every body decodes strictly as an OTLP
# ExportMetricsServiceRequest (protobuf, official .proto files, when
# available) with each device's netmon.device.io equal to the payload's
# totals, agent.totalsSince did not move across the restart, and http lost
# nothing either.
. tests/integration/lib.sh

nmt_init otlp veth
API_LOG=$NMT_TMP/api.jsonl
OTLP_LOG=$NMT_TMP/otlp.jsonl
OTLP_MODE=$NMT_TMP/otlp.mode
echo ok >"$NMT_TMP/api.mode"
echo otlp >"$OTLP_MODE"
nmt_config "[reporter]
api_url = http://127.0.0.1:8080/v1/snapshots
outputs = http, stdout, otlp:http://127.0.0.1:4318/v1/metrics
timeout_seconds = 3
connect_timeout_seconds = 2"
nmt_api 8080 "$API_LOG" "$NMT_TMP/api.mode"
nmt_api 4318 "$OTLP_LOG" "$OTLP_MODE"
nmt_udp_traffic 88 0.1
nmt_start reporter
R=$NMT_PID
nmt_wait 5 "the reporter's sockets" test -S "$NMT_TMP/run/capd.sock"
nmt_start capd
nmt_wait 10 "capd counting" sh -c \
	"[ \"\$($NMT_PY $NMT_DIR/snapshots.py field $NMT_SNAPS network.capture.packets)\" -gt 0 ]"
nmt_wait 10 "OTLP deliveries" sh -c \
	"[ \$($NMT_PY $NMT_DIR/otlp_deliveries.py count $OTLP_LOG) -ge 3 ]"
since=$(nmt_snap field agent.totalsSince)
[ -n "$since" ] || nmt_fail "no agent.totalsSince"
"$NMT_PY" - "$NMT_SNAPS" <<'PY' || nmt_fail "agent.outputs"
import json, sys
s = [json.loads(l) for l in open(sys.argv[1]) if l.endswith("\n")][-1]
outs = {o["output"]: o for o in s["agent"]["outputs"]}
assert set(outs) == {"stdout", "http", "otlp"}, outs
assert outs["otlp"]["delivered"] > 0 and "rejectedDataPoints" in outs["otlp"], outs["otlp"]
assert dict(outs["http"], output=None) == dict(s["agent"]["delivery"], output=None), outs["http"]
print("agent.outputs: stdout, http and otlp, each with its own counters")
PY

HANG=15
nmt_say "OTLP endpoint hangs for $HANG s"
echo hang >"$OTLP_MODE"
sleep 1
http0=$("$NMT_PY" "$NMT_DIR/deliveries.py" count "$API_LOG")
lines0=$(nmt_lines)
otlp0=$("$NMT_PY" "$NMT_DIR/otlp_deliveries.py" count "$OTLP_LOG")
sleep "$HANG"
http1=$("$NMT_PY" "$NMT_DIR/deliveries.py" count "$API_LOG")
lines1=$(nmt_lines)
otlp1=$("$NMT_PY" "$NMT_DIR/otlp_deliveries.py" count "$OTLP_LOG")
nmt_say "during the hang: http +$((http1 - http0)), stdout +$((lines1 - lines0)), otlp +$((otlp1 - otlp0))"
[ $((otlp1 - otlp0)) -le 1 ] || nmt_fail "the hanging endpoint accepted snapshots?"
[ $((lines1 - lines0)) -ge $((HANG - 1)) ] || nmt_fail "stdout slowed down while otlp hung"
[ $((http1 - http0)) -ge $((HANG - 2)) ] || nmt_fail "http slowed down while otlp hung"
"$NMT_PY" - "$API_LOG" "$NMT_SNAPS" "$lines0" "$lines1" <<'PY' || nmt_fail "a cycle was late while otlp hung"
import datetime, json, sys
def t(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
snaps = [json.loads(l) for l in open(sys.argv[2]) if l.endswith("\n")][int(sys.argv[3]):int(sys.argv[4])]
times = [t(s["snapshotTime"]) for s in snaps]
gap = max(b - a for a, b in zip(times, times[1:]))
# each of those snapshots reached http within a cycle and a half of being made
got = {}
for r in (json.loads(l) for l in open(sys.argv[1]) if l.endswith("\n")):
    if 200 <= r["status"] < 300:
        got[r["body"]["snapshotId"]] = r["t"]
lag = max(got[s["snapshotId"]] - t(s["snapshotTime"]) for s in snaps[:-1])
print("while otlp hung: largest gap between snapshots %.2f s, largest http delivery lag %.2f s" % (gap, lag))
sys.exit(0 if gap <= 1.5 and lag <= 1.5 else 1)
PY
"$NMT_PY" - "$NMT_SNAPS" "$lines0" <<'PY' || nmt_fail "otlp counters during the hang"
import json, sys
s = [json.loads(l) for l in open(sys.argv[1]) if l.endswith("\n")][-1]
o = {o["output"]: o for o in s["agent"]["outputs"]}["otlp"]
assert o["sendFailures"] >= 2 and o["spoolDepth"] >= 10, o
print("otlp during the hang: %d send failures, %d spooled" % (o["sendFailures"], o["spoolDepth"]))
PY

nmt_say "OTLP endpoint answers 503 for 20 s; SIGKILL the reporter after 10 s"
echo 503 >"$OTLP_MODE"
sleep 10
nmt_kill9 "$R"
sleep 2
nmt_start reporter
R=$NMT_PID
nmt_wait 10 "capd back" sh -c "[ \"\$($NMT_PY $NMT_DIR/snapshots.py helper $NMT_SNAPS capd records 2>/dev/null)\" -gt 2 ]"
n_restart=$(nmt_lines)
[ "$(nmt_snap field agent.totalsSince)" = "$since" ] ||
	nmt_fail "agent.totalsSince moved across the restart: $since -> $(nmt_snap field agent.totalsSince)"
sleep 8

nmt_say "OTLP endpoint: partial success, 5 points rejected per request"
echo partial:5 >"$OTLP_MODE"
nmt_wait 60 "partial successes counted" sh -c "\"$NMT_PY\" - \"$NMT_SNAPS\" <<'PY'
import json, sys
s = [json.loads(l) for l in open(sys.argv[1]) if l.endswith('\n')][-1]
o = {o['output']: o for o in s['agent']['outputs']}['otlp']
sys.exit(0 if o.get('partialSuccesses', 0) >= 3 and o['rejectedDataPoints'] == 5 * o['partialSuccesses'] else 1)
PY"
n=$(grep -c "data point(s) rejected" "$NMT_TMP/reporter.log")
[ "$n" -eq 1 ] || nmt_fail "$n log lines for partial successes (want 1: rate-limited)"
grep "data point(s) rejected" "$NMT_TMP/reporter.log" | grep -q "test receiver rejects 5 point(s)?second line" ||
	nmt_fail "the partial-success line lacks the endpoint's message"
echo otlp >"$OTLP_MODE"
want=$(nmt_lines)
nmt_wait 90 "the OTLP backlog of $want snapshots delivered" sh -c \
	"[ \$($NMT_PY $NMT_DIR/otlp_deliveries.py times $OTLP_LOG) -ge $want ]"
sleep 2
# collection never paused (checked while the reporter still runs: it compares
# the newest snapshot with the clock)
nmt_snap cadence "$NMT_CYCLE" "$((n_restart + 1))" || nmt_fail "collection paused"
nmt_stop_all
"$NMT_PY" "$NMT_DIR/otlp_deliveries.py" check "$OTLP_LOG" "$NMT_TMP/pairs" "$NMT_SNAPS" ||
	nmt_fail "otlp delivery"
"$NMT_PY" "$NMT_DIR/deliveries.py" ordered "$API_LOG" "$NMT_SNAPS" || nmt_fail "http delivery"
proto=build/otlp-proto/py
if [ ! -d "$proto" ]; then
	sh tests/outputs/t_otlp_proto.sh >/dev/null 2>&1   # fetches and compiles the .proto files
fi
if [ -d "$proto" ] && "$NMT_PY" -c 'import google.protobuf' 2>/dev/null; then
	"$NMT_PY" tests/outputs/otlp_check.py "$proto" "$NMT_TMP/pairs/snaps.jsonl" \
		"$NMT_TMP/pairs/otlp.jsonl" || nmt_fail "strict OTLP decode"
	nmt_say "every delivered OTLP body decodes strictly (protobuf, opentelemetry-proto)"
else
	nmt_say "no protoc/python3-protobuf: structural checks only"
fi
nmt_validate
nmt_say "PASS"
