#!/bin/sh
# time-limit: 180
# The four daemons built with ASan+UBSan+LSan (build/asan/, `make sanitized-bins`,
# -DNETMON_SANITIZER_BUILD) run confined in a network namespace, are stopped
# with SIGTERM, and must exit 0 with no sanitizer report: LeakSanitizer's
# check at exit runs inside the sandbox (issue 7; without the sanitizer
# extension of the allow-list the kernel kills it with SIGSYS and no leak
# check ever runs), and does find a leak planted after confinement. Also
# capd --read, started as root.
. tests/integration/lib.sh

ASAN=${NMT_ASAN:-build/asan}
nmt_require_bins "$ASAN"
NMT_BIN=$ASAN
# exitcode 23: a report, whatever its kind; no symbolizer (it would need fork)
export ASAN_OPTIONS=detect_leaks=1:exitcode=23:symbolize=0:abort_on_error=0
export LSAN_OPTIONS=exitcode=23
export UBSAN_OPTIONS=halt_on_error=1:exitcode=23:print_stacktrace=1
nmt_init sanitizer veth
nmt_config
nmt_start_all
ip netns exec "$NMT_PEER" ping -c 3 -i 0.2 198.18.0.1 >/dev/null 2>&1
sleep 2

# a report names itself like this, whichever sanitizer wrote it
REPORT='ERROR: AddressSanitizer|ERROR: LeakSanitizer|LeakSanitizer has encountered|runtime error:|SUMMARY: |Sanitizer CHECK failed'
stop() { # NAME PID
	local name=$1 pid=$2 n=0 st
	kill -TERM "$pid"
	while nmt_alive "$pid"; do
		n=$((n + 1))
		[ $n -ge 600 ] && nmt_fail "$name still runs 60 s after SIGTERM"
		sleep 0.1
	done
	wait "$pid"
	st=$?
	nmt_untrack "$pid"
	if grep -Eq "$REPORT" "$NMT_TMP/$name.log"; then
		sed 's/^/    /' "$NMT_TMP/$name.log" | head -40
		nmt_fail "$name: sanitizer report (exit status $st)"
	fi
	[ "$st" -eq 0 ] || nmt_fail "$name: exit status $st after SIGTERM, want 0"
	grep -q "seccomp on" "$NMT_TMP/$name.log" || nmt_fail "$name never confined itself"
	nmt_say "$name: confined, stopped by SIGTERM in $((n / 10)).$((n % 10)) s, exit 0, no sanitizer report"
}
# helpers first, then the hub
stop capd "$NMT_CAPD"
stop arpd "$NMT_ARPD"
stop sysd "$NMT_SYSD"
stop reporter "$NMT_REPORTER"

# the leak check really runs in there: a leak planted after confinement
# (--test-hook=leak) is reported at exit
: >"$NMT_TMP/sysd.log"
nmt_start sysd --test-hook=leak
pid=$NMT_PID
nmt_wait 10 "the planted leak" grep -q "test hook leak" "$NMT_TMP/sysd.log"
kill -TERM "$pid"
n=0
while nmt_alive "$pid"; do
	n=$((n + 1))
	[ $n -ge 600 ] && nmt_fail "sysd with a planted leak still runs 60 s after SIGTERM"
	sleep 0.1
done
wait "$pid"
st=$?
nmt_untrack "$pid"
grep -q "ERROR: LeakSanitizer: detected memory leaks" "$NMT_TMP/sysd.log" &&
	grep -q "4242 byte" "$NMT_TMP/sysd.log" || {
	sed 's/^/    /' "$NMT_TMP/sysd.log" | tail -20
	nmt_fail "the planted 4242-byte leak was not reported (exit status $st)"
}
[ "$st" -eq 23 ] || nmt_fail "sysd with a planted leak: exit status $st, want 23 (LSan's exitcode)"
nmt_say "a leak planted after confinement is reported by LeakSanitizer at exit (status 23)"

cp tests/pcap/fixtures/eth_ipv4.pcap "$NMT_TMP/offline.pcap"
"$ASAN/netmon-capd" --read "$NMT_TMP/offline.pcap" --networks 192.0.2.0/24 --dump \
	>"$NMT_TMP/offline.out" 2>"$NMT_TMP/offline.log"
st=$?
grep -Eq "$REPORT" "$NMT_TMP/offline.log" && { cat "$NMT_TMP/offline.log"; nmt_fail "capd --read: sanitizer report"; }
[ "$st" -eq 0 ] || nmt_fail "capd --read (sanitized, as root): exit status $st, want 0"
cmp -s "$NMT_TMP/offline.out" tests/pcap/fixtures/eth_ipv4.json || nmt_fail "capd --read: not the golden output"
nmt_say "capd --read as root (sanitized): exit 0, golden output, no report"
nmt_say "PASS"
