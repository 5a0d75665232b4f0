#!/bin/sh
# time-limit: 180
# What each answer of the API does (SPEC §8, issue 10), phase by phase:
#   429 + Retry-After: 3      the next attempt waits 3 s (backoff alone: 0.5-1 s)
#   429 + Retry-After: DATE   the same, as an HTTP date
#   500, closed connection    retried with backoff
#   401                       spool kept, one loud log line
#   400                       the snapshot moves to spool/dead with one log line
#   200 at last               everything still spooled arrives, in order
. tests/integration/lib.sh

nmt_init statuses
MODE=$NMT_TMP/mode
LOG=$NMT_TMP/api.jsonl
nmt_config "[reporter]
api_url = http://127.0.0.1:8080/
outputs = http, stdout"
echo 429:3 >"$MODE"
nmt_api 8080 "$LOG" "$MODE"
NETMON_API_KEY=nmt-key
export NETMON_API_KEY
nmt_start reporter

gaps() { # STATUS: gaps in s between consecutive attempts answered STATUS
	"$NMT_PY" -c '
import json, sys
t = [r["t"] for r in map(json.loads, open(sys.argv[1])) if r["status"] == int(sys.argv[2])]
print(" ".join("%.2f" % (b - a) for a, b in zip(t, t[1:])))' "$LOG" "$1"
}
min_gap() { echo "$1" | tr ' ' '\n' | grep . | sort -n | head -1; }

sleep 10
g=$(gaps 429)
[ -n "$g" ] || nmt_fail "fewer than two 429 answers"
awk -v m="$(min_gap "$g")" 'BEGIN { exit !(m >= 2.9) }' || nmt_fail "Retry-After: 3 not honoured, gaps: $g"
nmt_say "Retry-After: 3 -> gaps $g s"
echo 429date:4 >"$MODE"
sleep 12
g=$(gaps 429 | tr ' ' '\n' | tail -n 2 | tr '\n' ' ')
awk -v m="$(min_gap "$g")" 'BEGIN { exit !(m >= 2.9) }' || nmt_fail "Retry-After as HTTP date not honoured, last gaps: $g"
nmt_say "Retry-After: <date 4 s ahead> -> last gaps $g s"

# a success ends a failure streak: the next phase starts from the shortest backoff
drain() {
	echo 200 >"$MODE"
	nmt_wait 40 "the spool drained" sh -c \
		"[ \$(ls $NMT_TMP/state/spool | grep -c json) -le 1 ]"
}
drain
for m in 500 close; do
	before=$("$NMT_PY" "$NMT_DIR/deliveries.py" attempts "$LOG")
	echo $m >"$MODE"
	sleep 5
	after=$("$NMT_PY" "$NMT_DIR/deliveries.py" attempts "$LOG")
	[ $((after - before)) -ge 2 ] || nmt_fail "$m: only $((after - before)) attempts in 5 s (backoff starts at 1 s)"
	nmt_say "$m: $((after - before)) attempts in 5 s"
	drain
done
echo 401 >"$MODE"
sleep 8
n401=$(grep -c 'refuses our key' "$NMT_TMP/reporter.log")
[ "$n401" -eq 1 ] || nmt_fail "$n401 'refuses our key' lines for a 401 streak (want 1)"
[ -z "$(ls "$NMT_TMP/state/spool/dead")" ] || nmt_fail "a snapshot was dead-lettered on 401"
kept=$(ls "$NMT_TMP/state/spool" | grep -c json)
[ "$kept" -ge 4 ] || nmt_fail "only $kept snapshots spooled after 8 s of 401"
nmt_say "401: one loud log line, $kept snapshots kept in the spool"
drain

echo 400 >"$MODE"
nmt_wait 10 "a dead letter" sh -c "[ -n \"\$(ls $NMT_TMP/state/spool/dead)\" ]"
sleep 2
drain
sleep 2
nmt_stop_all
ndead=$(ls "$NMT_TMP/state/spool/dead" | wc -l)
n400=$("$NMT_PY" -c '
import json, sys
print(sum(1 for r in map(json.loads, open(sys.argv[1])) if r["status"] == 400))' "$LOG")
[ "$ndead" -eq "$n400" ] || nmt_fail "$n400 answers 400 but $ndead dead letters"
nlines=$(grep -c 'with HTTP 400: moved to' "$NMT_TMP/reporter.log")
[ "$nlines" -eq "$n400" ] || nmt_fail "$nlines log lines for $n400 dead letters (want one each)"
[ "$(ls "$NMT_TMP/state/spool" | grep -c json)" -eq 0 ] || nmt_fail "snapshots left in the spool"
"$NMT_PY" - "$LOG" "$NMT_SNAPS" "$NMT_TMP/state/spool/dead" <<'PY' || nmt_fail "delivery"
import json, os, sys
made = [json.loads(l)["snapshotId"] for l in open(sys.argv[2]) if l.endswith("\n")]
recs = [json.loads(l) for l in open(sys.argv[1])]
ok = [r["body"]["snapshotId"] for r in recs if 200 <= r["status"] < 300]
dead = {f[17:-5] for f in os.listdir(sys.argv[3])}
pos = {i: n for n, i in enumerate(made)}
if len(set(ok)) != len(ok):
    sys.exit("a snapshot delivered twice")
lost = [i for i in made[:-1] if i not in set(ok) and i not in dead]
if lost:
    sys.exit("%d snapshots neither delivered nor dead-lettered" % len(lost))
if [pos[i] for i in ok] != sorted(pos[i] for i in ok):
    sys.exit("delivered out of order")
print("%d made: %d delivered in order, %d dead-lettered, none lost" % (len(made), len(ok), len(dead)))
PY
nmt_validate
nmt_say "PASS"
