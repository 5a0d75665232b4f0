#!/bin/sh
# time-limit: 120
# The spool's bound is the only thing that drops data (SPEC §8): during an
# outage the spool reaches its limit (a test build lowers it to 8 kB), the
# oldest snapshots are dropped, and once the API is back the snapshots still
# spooled arrive in order, the newest last; the number dropped appears in the
# next delivered snapshot (agent.delivery.droppedSnapshots).
. tests/integration/lib.sh

NMT_BIN=${NMT_HOOKS_BIN:-build/hooks}
nmt_init spool
MODE=$NMT_TMP/mode
echo 503 >"$MODE"
nmt_config "[reporter]
api_url = http://127.0.0.1:8080/
outputs = http, stdout"
nmt_api 8080 "$NMT_TMP/api.jsonl" "$MODE"
NETMON_API_KEY=nmt-key NETMON_TEST_SPOOL_MAX_BYTES=8192
export NETMON_API_KEY NETMON_TEST_SPOOL_MAX_BYTES
nmt_start reporter
sleep 15
grep -q 'over spool_max_mib' "$NMT_TMP/reporter.log" || nmt_fail "the spool never reached its bound"
echo ok >"$MODE"
nmt_wait 40 "delivery after the outage" sh -c \
	"[ \$($NMT_PY $NMT_DIR/deliveries.py count $NMT_TMP/api.jsonl) -ge 3 ]"
sleep 5
nmt_stop_all
"$NMT_PY" - "$NMT_TMP/api.jsonl" "$NMT_SNAPS" <<'PY' || nmt_fail "spool bound"
import json, sys
made = [json.loads(l)["snapshotId"] for l in open(sys.argv[2]) if l.endswith("\n")]
recs = [json.loads(l) for l in open(sys.argv[1])]
ok = [r["body"] for r in recs if 200 <= r["status"] < 300]
ids = [b["snapshotId"] for b in ok]
pos = {i: n for n, i in enumerate(made)}
if len(set(ids)) != len(ids) or any(i not in pos for i in ids):
    sys.exit("duplicate or unknown snapshot delivered")
order = [pos[i] for i in ids]
if order != sorted(order):
    sys.exit("delivered out of order")
dropped = order[-1] + 1 - len(ids)
if dropped < 3:
    sys.exit("only %d snapshots missing at the API: the bound did not drop the oldest" % dropped)
# the oldest went: from the second delivered one on, everything arrived (the
# first may be an older one that was being sent when the bound struck: a
# snapshot in flight is never dropped)
# (the very last one may still have been on its way when the reporter stopped)
if order[1:] != list(range(order[1], order[-1] + 1)) or order[-1] < len(made) - 2:
    sys.exit("a gap among the newest snapshots: only the oldest may be dropped (%s of %d)"
             % (order, len(made)))
counts = [b["agent"]["delivery"]["droppedSnapshots"] for b in ok]
if counts[-1] < dropped:
    sys.exit("last delivered snapshot says %d dropped, %d were" % (counts[-1], dropped))
if counts[0] < 1:
    sys.exit("the first delivered snapshot does not report the drop")
print("%d made, %d dropped by the bound (oldest first), %d delivered in order; "
      "droppedSnapshots %d in the first delivered one, %d at the end"
      % (len(made), dropped, len(ids), counts[0], counts[-1]))
PY
nmt_validate
nmt_say "PASS"
