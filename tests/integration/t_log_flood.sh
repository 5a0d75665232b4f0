#!/bin/sh
# time-limit: 90
# A flood of refused peers cannot flood the log: a root peer (whose uid the
# config does not allow) connects to capd.sock as fast as it can for 5 s; the
# reporter refuses every one, keeps running, and writes a bounded number of
# lines, then one "N similar messages suppressed" line (common/log.c).
. tests/integration/lib.sh

nmt_init logflood
nmt_config
nmt_start reporter
nmt_wait 5 "the reporter's sockets" test -S "$NMT_TMP/run/capd.sock"
before=$(wc -l <"$NMT_TMP/reporter.log")
conns=$(ip netns exec "$NMT_NS" timeout 20 "$NMT_PY" - "$NMT_TMP/run/capd.sock" <<'EOF2'
import socket, sys, time
n = 0
end = time.monotonic() + 5
while time.monotonic() < end:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        s.connect(sys.argv[1])
        n += 1
    except OSError:
        time.sleep(0.001)
    s.close()
print(n)
EOF2
)
# the suppressed count comes when the 10 s window of the first refusal ends
nmt_wait 15 "the suppressed-messages line" grep -q "similar messages suppressed" "$NMT_TMP/reporter.log"
nmt_alive "$NMT_PID" || nmt_fail "the reporter exited"
lines=$(($(wc -l <"$NMT_TMP/reporter.log") - before))
refused=$(grep -c "refused peer" "$NMT_TMP/reporter.log")
nmt_say "$conns connections from a refused root peer in 5 s: $lines log lines ($refused 'refused peer')"
grep "similar messages suppressed" "$NMT_TMP/reporter.log" | head -3
[ "$conns" -gt 1000 ] || nmt_fail "only $conns connections: the flood did not happen"
[ "$lines" -le 40 ] || nmt_fail "$lines log lines for one refused peer's flood"
