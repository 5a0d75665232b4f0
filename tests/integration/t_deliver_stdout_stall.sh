#!/bin/sh
# time-limit: 90
# A slow or broken output never delays another (issue 10). The reporter's
# stdout is a pipe (shrunk to one page) whose reader stops reading: the http
# output still delivers one snapshot per cycle, and the file output gets
# every one. The file output is renamed and SIGHUP reopens it (logrotate).
# Then SIGTERM while a line sits half-written in the stalled pipe, and the
# reader resumes: every line it gets is whole JSON (no torn last line).
. tests/integration/lib.sh

STALL=${NMT_STALL:-15}
nmt_init stall
MODE=$NMT_TMP/mode
FIFO=$NMT_TMP/stdout.fifo
DRAIN=$NMT_TMP/drain
# the reporter (user nobody) creates and reopens its file output itself
mkdir "$NMT_TMP/out" && chown nobody "$NMT_TMP/out"
OUT=$NMT_TMP/out/file.jsonl
mkfifo "$FIFO"
echo ok >"$MODE"
nmt_config "[reporter]
api_url = http://127.0.0.1:8080/
outputs = stdout, http, file:$OUT"
nmt_api 8080 "$NMT_TMP/api.jsonl" "$MODE"
# the reader: a one-page pipe it does not read until $DRAIN exists
nmt_bg "$NMT_PY" -c '
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDONLY)
fcntl.fcntl(fd, 1031, 4096)  # F_SETPIPE_SZ
while not os.path.exists(sys.argv[2]):
    time.sleep(0.05)
with open(sys.argv[3], "wb") as out:
    while True:
        b = os.read(fd, 65536)
        if not b:
            break
        out.write(b)' "$FIFO" "$DRAIN" "$NMT_SNAPS"
READER=$NMT_PID
NETMON_API_KEY=nmt-key
export NETMON_API_KEY
ip netns exec "$NMT_NS" "$NMT_BIN/netmon-reporter" -c "$NMT_CONF" >"$FIFO" 2>>"$NMT_TMP/reporter.log" &
R=$!
nmt_track "$R"
nmt_say "stdout stalled for $STALL cycles"
sleep "$STALL"
mv "$OUT" "$OUT.1"
kill -HUP "$R"
sleep 3
nmt_alive "$R" || nmt_fail "the reporter died"
n_http=$("$NMT_PY" "$NMT_DIR/deliveries.py" count "$NMT_TMP/api.jsonl")
n_file=$(cat "$OUT.1" "$OUT" | wc -l)
[ -s "$OUT" ] || nmt_fail "SIGHUP did not reopen $OUT"
# one per cycle over STALL + 3 s, give or take the start
[ "$n_http" -ge $((STALL + 1)) ] || nmt_fail "http delivered $n_http snapshots in $((STALL + 3)) s with stdout stalled"
[ "$n_file" -ge $((STALL + 1)) ] || nmt_fail "the file output got $n_file snapshots"
queued=$("$NMT_PY" -c '
import json, sys
s = json.loads(open(sys.argv[1]).read().splitlines()[-1])
print([o["queuedLines"] for o in s["agent"]["outputs"] if o["output"] == "stdout"][0])' "$OUT")
[ "$queued" -ge 2 ] || nmt_fail "stdout shows $queued queued lines: the pipe never filled?"
nmt_say "stdout stalled ($queued lines queued): http delivered $n_http, file got $n_file (renamed + SIGHUP: $(wc -l <"$OUT") in the new file)"
kill -TERM "$R"
sleep 0.3
touch "$DRAIN"
n=0
while nmt_alive "$R" && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
nmt_alive "$R" && nmt_fail "the reporter did not stop within 5 s of SIGTERM"
wait "$R"
nmt_untrack "$R"
n=0
while nmt_alive "$READER" && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
nmt_stop_all
[ -s "$NMT_SNAPS" ] || nmt_fail "the reader got nothing"
[ "$(tail -c 1 "$NMT_SNAPS" | od -An -c | tr -d ' ')" = '\n' ] || nmt_fail "the stdout stream ends in a torn line"
nmt_validate
for f in "$OUT.1" "$OUT"; do
	"$NMT_PY" tests/tools/validate_payload.py "$f" || nmt_fail "$f"
done
nmt_say "PASS"
