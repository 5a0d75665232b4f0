#!/bin/sh
# time-limit: 120
# One role's peers cannot lock the others out of the reporter: 100 silent
# connections on arpd.sock (with the uid the config allows there) do not
# delay a capd's HELLO by more than 1 s. Each role has its own connection
# slots and a short HELLO deadline (reporter/hub.h). Repeated three times
# while the silent peers are still held.
. tests/integration/lib.sh

nmt_init quota
nmt_config
nmt_start reporter
nmt_wait 5 "the reporter's sockets" test -S "$NMT_TMP/run/capd.sock"
i=1
while [ $i -le 3 ]; do
	out=$(ip netns exec "$NMT_NS" setpriv --reuid nobody --regid "$(id -g nobody)" --clear-groups \
		timeout 30 "$NMT_PY" "$NMT_DIR/hub_quota.py" "$NMT_TMP/run" "$NMT_TMP/reporter.log" 100)
	rc=$?
	nmt_say "round $i: $out"
	[ $rc -eq 0 ] || nmt_fail "round $i: capd's HELLO was delayed by silent arpd peers ($out)"
	i=$((i + 1))
done
nmt_alive "$NMT_PID" || nmt_fail "the reporter exited"
# the refusals are logged, but not one line per refused peer (common/log.c)
lines=$(grep -c "arpd.sock" "$NMT_TMP/reporter.log")
nmt_say "$lines log lines about arpd.sock for 300 silent peers"
