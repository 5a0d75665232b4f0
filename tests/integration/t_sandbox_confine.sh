#!/bin/sh
# time-limit: 120
# What a confined daemon can no longer do (issue 7), each tried from inside the
# sandbox by a test build (build/hooks/, --test-hook=NAME[:ARG], common/daemon.h):
#   - capd cannot transmit on its capture socket: pcap_inject, send, write,
#     or copying the socket onto the link's descriptor number all die by
#     SIGSYS, and no frame reaches the far end of the veth pair
#   - a "read-only" open with O_CREAT, O_TRUNC or O_APPEND is refused (EACCES)
#     and the file is neither created nor truncated
#   - tgkill of another process kills the caller (SIGSYS) and the target is
#     not stopped; abort() (tgkill of itself) still works
#   - connect() on any socket but the link's descriptor dies by SIGSYS
#   - capd writes nothing to stdout unless it prints (--dump)
#   - arpd still sends ARP on its packet socket (descriptor 11) once confined,
#     and on nothing else
. tests/integration/lib.sh

HOOKS=${NMT_HOOKS:-build/hooks}
nmt_require_bins "$HOOKS"
NMT_BIN=$HOOKS
SIGSYS_STATUS=$("$NMT_PY" -c "import signal; print(128 + signal.SIGSYS)")
SIGABRT_STATUS=$("$NMT_PY" -c "import signal; print(128 + signal.SIGABRT)")
nmt_init confine veth
nmt_config

# Start ROLE with a hook, wait (at most 10 s) for it to exit on its own or to
# log the hook's result; its exit status (or "running") in $HOOK_STATUS.
run_hook() { # ROLE HOOK
	local role=$1 hook=$2 pid n=0 st running=""
	: >"$NMT_TMP/$role.log"
	nmt_start "$role" --test-hook="$hook"
	pid=$NMT_PID
	while nmt_alive "$pid"; do
		grep -q "test hook" "$NMT_TMP/$role.log" && break
		n=$((n + 1))
		[ $n -ge 100 ] && nmt_fail "$role --test-hook=$hook: neither exited nor logged in 10 s"
		sleep 0.1
	done
	sleep 0.2   # a kill may follow the log line
	if nmt_alive "$pid"; then
		running=1
		kill -TERM "$pid"
	fi
	wait "$pid"
	st=$?
	HOOK_STATUS=${running:+running}
	HOOK_STATUS=${HOOK_STATUS:-$st}
	nmt_untrack "$pid"
	grep -q "seccomp on" "$NMT_TMP/$role.log" ||
		nmt_fail "$role --test-hook=$hook: exited before confining itself"
}

expect_killed() { # ROLE HOOK
	run_hook "$1" "$2"
	[ "$HOOK_STATUS" = "$SIGSYS_STATUS" ] || {
		sed 's/^/    /' "$NMT_TMP/$1.log"
		nmt_fail "$1 --test-hook=$2: status $HOOK_STATUS, want $SIGSYS_STATUS (SIGSYS)"
	}
	nmt_say "$1 --test-hook=$2: killed by SIGSYS"
}

# --- capd cannot transmit ---------------------------------------------------
# Everything on the far end's wire with our marker EtherType (0x88b5).
# tcpdump on the far end of the veth pair, one line per frame in sniff.txt
SNIFF=""
sniff() { # FILTER
	: >"$NMT_TMP/sniff.txt"
	nmt_bg ip netns exec "$NMT_PEER" timeout 60 tcpdump -i veth1 -n -e -l "$1" \
		>"$NMT_TMP/sniff.txt" 2>"$NMT_TMP/tcpdump.log"
	SNIFF=$NMT_PID
	nmt_wait 10 "tcpdump on veth1" grep -q "listening on" "$NMT_TMP/tcpdump.log"
}
if command -v tcpdump >/dev/null 2>&1; then
	sniff "ether proto 0x88b5"
fi
for hook in inject send-capture write-capture dup-capture; do
	expect_killed capd "$hook"
done
if [ -n "$SNIFF" ]; then
	sleep 0.5
	kill -INT "$SNIFF"
	wait "$SNIFF"
	nmt_untrack "$SNIFF"
	n=$(grep -c "0x88b5" "$NMT_TMP/sniff.txt")
	[ "$n" -eq 0 ] || nmt_fail "$n frame(s) from a confined capd reached the far end"
	nmt_say "no frame from capd reached veth1"
fi

# --- read-only opens ---------------------------------------------------------
# a directory and a file the daemons' user (nobody) could write without the sandbox
W=$NMT_TMP/writable
mkdir "$W"
chown nobody "$W"
for role in capd sysd; do
	echo keep >"$W/$role.keep"
	chown nobody "$W/$role.keep"
	for hook in "creat:$W/$role.new" "trunc:$W/$role.keep" "append:$W/$role.keep"; do
		run_hook "$role" "$hook"
		grep -q "test hook ${hook%%:*}: .* refused: Permission denied" "$NMT_TMP/$role.log" ||
			[ "$HOOK_STATUS" = "$SIGSYS_STATUS" ] || {
			sed 's/^/    /' "$NMT_TMP/$role.log"
			nmt_fail "$role --test-hook=$hook was not refused (status $HOOK_STATUS)"
		}
	done
	[ -e "$W/$role.new" ] && nmt_fail "$role created $W/$role.new with a read-only open"
	[ "$(cat "$W/$role.keep")" = keep ] || nmt_fail "$role truncated $W/$role.keep"
	nmt_say "$role: O_CREAT, O_TRUNC, O_APPEND opens refused, nothing created or truncated"
done

# --- tgkill ------------------------------------------------------------------
# a process of the same user, which the daemon could signal without the sandbox
setpriv --reuid nobody --regid "$(id -g nobody)" --clear-groups sleep 60 &
VICTIM=$!
nmt_track "$VICTIM"
for role in sysd capd; do
	expect_killed "$role" "tgkill:$VICTIM"
	state=$(sed 's/^.*) \(.\).*/\1/' "/proc/$VICTIM/stat")
	[ "$state" = T ] && nmt_fail "$role stopped pid $VICTIM (state $state)"
done
nmt_say "tgkill of pid $VICTIM refused; it still runs (state $state)"
run_hook sysd abort
[ "$HOOK_STATUS" = "$SIGABRT_STATUS" ] ||
	nmt_fail "sysd --test-hook=abort: status $HOOK_STATUS, want $SIGABRT_STATUS (SIGABRT)"
nmt_say "abort() (tgkill of itself) still works: SIGABRT"

# --- connect and stdout ------------------------------------------------------
expect_killed sysd "connect:$NMT_TMP/run/capd.sock"
expect_killed capd "write:1"

# --- arpd sends ARP, on its own socket only ----------------------------------
if command -v tcpdump >/dev/null 2>&1; then
	sniff "arp and ether src 02:00:00:00:00:01"
	run_hook arpd arp:11
	[ "$HOOK_STATUS" = running ] || nmt_fail "arpd --test-hook=arp:11 exited ($HOOK_STATUS)"
	grep -q "test hook arp: done (60)" "$NMT_TMP/arpd.log" || nmt_fail "arpd could not send ARP"
	sleep 0.5
	kill -INT "$SNIFF"
	wait "$SNIFF"
	nmt_untrack "$SNIFF"
	n=$(grep -c "who-has 198.18.0.254" "$NMT_TMP/sniff.txt")
	[ "$n" -eq 1 ] || nmt_fail "the far end saw $n ARP requests from arpd, want 1"
	nmt_say "arpd, confined: its ARP request on descriptor 11 reached veth1"
fi
expect_killed arpd "arp:3"

# --- no new process: the helpers may not clone at all, the reporter only
# with pthread_create's thread flags (libcurl's resolver thread) -------------
expect_killed sysd fork
expect_killed reporter fork

nmt_say "PASS"
