#!/bin/sh
# The seccomp filter kills (SPEC §9): each of the four test builds
# (build/hooks/, compiled with NETMON_TEST_HOOKS) started with
# --test-violate-sandbox calls execve right after confining itself, and must
# die by SIGSYS. The release builds must not know that switch at all.
. tests/integration/lib.sh

HOOKS=build/hooks
SIGSYS_STATUS=$("$NMT_PY" -c "import signal; print(128 + signal.SIGSYS)")   # 159 on Linux

# --- release builds: no such switch (needs no root) ---------------------------
for r in reporter capd arpd sysd; do
	b=$NMT_BIN/netmon-$r
	[ -x "$b" ] || nmt_fail "$b is missing: run 'make -j2 all test-builds' first"
	err=$("$b" --test-violate-sandbox 2>&1 >/dev/null)
	st=$?
	[ "$st" -eq 2 ] || nmt_fail "$b --test-violate-sandbox: exit $st, want 2"
	case $err in
	*"unknown option '--test-violate-sandbox'"*) ;;
	*) nmt_fail "$b --test-violate-sandbox: stderr '$err', want 'unknown option'" ;;
	esac
	# not just unparsed: the switches' names are not in the binary
	grep -q test-violate-sandbox "$b" && nmt_fail "$b contains the string test-violate-sandbox"
	grep -q test-hook "$b" && nmt_fail "$b contains the string test-hook"
done
echo "release builds: --test-violate-sandbox is an unknown option (exit 2), not in the binaries"

nmt_require_bins "$HOOKS"
NMT_BIN=$HOOKS
nmt_init sandbox veth
nmt_config

# Start ROLE with the switch and wait (at most 10 s) for it to die.
violate() { # ROLE
	local role=$1 pid n=0 st
	nmt_start "$role" --test-violate-sandbox
	pid=$NMT_PID
	while nmt_alive "$pid"; do
		n=$((n + 1))
		[ $n -ge 100 ] && nmt_fail "$role --test-violate-sandbox still runs after 10 s"
		sleep 0.1
	done
	wait "$pid"
	st=$?
	nmt_untrack "$pid"
	# it got as far as the sandbox: the forbidden call came after confinement
	grep -q "running as uid $(id -u nobody) with no capabilities, seccomp on" "$NMT_TMP/$role.log" ||
		nmt_fail "$role exited with $st before confining itself"
	[ "$st" -eq "$SIGSYS_STATUS" ] ||
		nmt_fail "$role --test-violate-sandbox: exit status $st, want $SIGSYS_STATUS (SIGSYS)"
	nmt_say "$role: died by SIGSYS (status $st) after confining itself"
}

# helpers violate right after the sandbox, before connecting: no reporter needed
violate sysd
violate arpd
violate capd
violate reporter

# sysd is "unprivileged always": started as nobody (nothing to drop) its
# filter must kill just the same
ip netns exec "$NMT_NS" setpriv --reuid "$(id -u nobody)" --regid "$(id -g nobody)" --clear-groups \
	"$HOOKS/netmon-sysd" -c "$NMT_CONF" --test-violate-sandbox 2>"$NMT_TMP/sysd-nobody.log"
st=$?
grep -q "seccomp on" "$NMT_TMP/sysd-nobody.log" || nmt_fail "sysd as nobody exited with $st before its sandbox"
[ "$st" -eq "$SIGSYS_STATUS" ] || nmt_fail "sysd started as nobody: exit status $st, want $SIGSYS_STATUS"
nmt_say "sysd started as nobody: died by SIGSYS (status $st)"
# capd --read confines itself before reading the file (it may come from
# anywhere): as nobody, the switch must be fatal after the file is open, and
# without the switch the same run must read the file to its end
cp tests/pcap/fixtures/eth_ipv4.pcap "$NMT_TMP/offline.pcap"
chmod 644 "$NMT_TMP/offline.pcap"
as_nobody() {
	setpriv --reuid "$(id -u nobody)" --regid "$(id -g nobody)" --clear-groups "$@"
}
as_nobody "$HOOKS/netmon-capd" --read "$NMT_TMP/offline.pcap" --dump --test-violate-sandbox \
	>"$NMT_TMP/offline.out" 2>"$NMT_TMP/offline.log"
st=$?
[ "$st" -eq "$SIGSYS_STATUS" ] || nmt_fail "capd --read as nobody: exit status $st, want $SIGSYS_STATUS"
[ -s "$NMT_TMP/offline.out" ] && nmt_fail "capd --read printed counters before its forbidden call"
as_nobody "$HOOKS/netmon-capd" --read "$NMT_TMP/offline.pcap" --networks 192.0.2.0/24 --dump \
	>"$NMT_TMP/offline.out" ||
	nmt_fail "capd --read as nobody, confined, failed"
cmp -s "$NMT_TMP/offline.out" tests/pcap/fixtures/eth_ipv4.json ||
	nmt_fail "capd --read as nobody, confined, printed other counters than the golden"
nmt_say "capd --read as nobody: died by SIGSYS (status $st) once confined; without the switch, golden output"
# the reporter made run_dir before it died; that is all it did
[ -S "$NMT_TMP/run/sysd.sock" ] || nmt_fail "the reporter did not get as far as its sockets"
nmt_say "PASS"
