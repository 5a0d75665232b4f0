#!/bin/sh
# Type=notify without systemd: each daemon, given $NOTIFY_SOCKET and
# $WATCHDOG_USEC as systemd sets them, sends READY=1 once confined, WATCHDOG=1
# every half period from its main loop, and STOPPING=1 on SIGTERM, then exits 0
# (its seccomp allow-list permits the datagram). Path sockets for the helpers,
# an abstract one for the reporter (systemd uses either).
. tests/integration/lib.sh

nmt_init notify veth
nmt_config
msgs="$NMT_TMP/notify.txt"
# one "service manager" socket per daemon; every datagram becomes "ROLE MSG"
# (in the daemons' netns: abstract socket names are per network namespace)
nmt_bg ip netns exec "$NMT_NS" "$NMT_PY" -c '
import os, select, socket, sys
tmp, out, abstract = sys.argv[1], sys.argv[2], sys.argv[3]
socks = {}
for role in ("capd", "arpd", "sysd", "reporter"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind("\0" + abstract if role == "reporter" else "%s/%s.notify" % (tmp, role))
    if role != "reporter":
        os.chmod("%s/%s.notify" % (tmp, role), 0o666)
    socks[s] = role
open(tmp + "/notify.ready", "w").close()
with open(out, "a") as f:
    while True:
        for s in select.select(list(socks), [], [])[0]:
            f.write("%s %s\n" % (socks[s], s.recv(4096).decode("ascii", "replace")))
            f.flush()
' "$NMT_TMP" "$msgs" "netmon-test-notify-$$"
nmt_wait 5 "the notify receiver" test -e "$NMT_TMP/notify.ready"

start_notified() { # ROLE SOCKET
	NOTIFY_SOCKET=$2 WATCHDOG_USEC=1000000 nmt_start "$1"
}
start_notified reporter "@netmon-test-notify-$$"
NMT_REPORTER=$NMT_PID
nmt_wait 5 "the reporter's sockets" test -S "$NMT_TMP/run/capd.sock"
pids=""
for r in sysd arpd capd; do
	start_notified "$r" "$NMT_TMP/$r.notify"
	pids="$pids $NMT_PID"
	eval pid_$r=$NMT_PID
done
pid_reporter=$NMT_REPORTER

for r in reporter sysd arpd capd; do
	nmt_wait 5 "$r: READY=1" grep -qx "$r READY=1" "$msgs"
	# WATCHDOG_USEC=1 s: a ping every 0.5 s, so several within 2 s
	nmt_wait 5 "$r: two WATCHDOG=1" sh -c "[ \$(grep -cx '$r WATCHDOG=1' '$msgs') -ge 2 ]"
done
# READY=1 comes after the start-up is complete: after the confinement line
for r in reporter sysd arpd capd; do
	grep -q 'seccomp on' "$NMT_TMP/$r.log" || nmt_fail "$r: no confinement line in its log"
done

for r in capd arpd sysd reporter; do
	eval p=\$pid_$r
	kill -TERM "$p"
	wait "$p"
	st=$?
	nmt_untrack "$p"
	[ "$st" -eq 0 ] || nmt_fail "$r exited with status $st after SIGTERM (159 = seccomp killed it)"
	nmt_wait 3 "$r: STOPPING=1" grep -qx "$r STOPPING=1" "$msgs"
done
# nothing else was ever sent, and READY=1 exactly once per daemon
for r in reporter sysd arpd capd; do
	[ "$(grep -cx "$r READY=1" "$msgs")" -eq 1 ] || nmt_fail "$r: READY=1 not exactly once"
done
bad=$(grep -vE '^(reporter|sysd|arpd|capd) (READY|WATCHDOG|STOPPING)=1$' "$msgs" || true)
[ -z "$bad" ] || nmt_fail "unexpected notification: $bad"
nmt_say "$(wc -l <"$msgs") notifications, all as expected"

# without NOTIFY_SOCKET nothing changes: a daemon starts and stops cleanly
nmt_start reporter
p=$NMT_PID
nmt_wait 5 "the reporter without NOTIFY_SOCKET" test -S "$NMT_TMP/run/capd.sock"
sleep 0.5
kill -TERM "$p"; wait "$p"; st=$?; nmt_untrack "$p"
[ "$st" -eq 0 ] || nmt_fail "reporter without NOTIFY_SOCKET exited $st"
nmt_say "PASS"
