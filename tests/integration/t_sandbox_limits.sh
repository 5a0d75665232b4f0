#!/bin/sh
# time-limit: 90
# Resource limits and the offline privilege drop (issue 7):
#   - every role, the reporter included, runs with the RLIMIT_NOFILE of its
#     policy and RLIMIT_CORE 0; RLIMIT_NPROC 0 for the helpers (the reporter
#     keeps it: libcurl's resolver runs in a thread, and its seccomp clone
#     rule allows thread flags only, never a new process: t_sandbox_confine);
#     RLIMIT_FSIZE is 0 for a helper
#     whose stderr is not a file (here: a pipe), and left alone where the
#     daemon writes a file (the reporter; a helper logging to a file)
#   - `netmon-capd --read` started as root reads the file as nobody with no
#     capability in any set, no_new_privs and seccomp (read from
#     /proc/self/status by the test build, once confined), and still prints
#     the golden counters
. tests/integration/lib.sh

HOOKS=${NMT_HOOKS:-build/hooks}
nmt_require_bins "$HOOKS"
NMT_BIN=$HOOKS
nmt_init limits veth
nmt_config

# sysd logs into a pipe: it writes no file, so its RLIMIT_FSIZE must be 0
mkfifo "$NMT_TMP/sysd.fifo"
nmt_bg sh -c "cat '$NMT_TMP/sysd.fifo' >'$NMT_TMP/sysd.log'"
nmt_start reporter
REPORTER=$NMT_PID
nmt_wait 5 "the reporter's sockets" test -S "$NMT_TMP/run/capd.sock"
ip netns exec "$NMT_NS" "$NMT_BIN/netmon-sysd" -c "$NMT_CONF" 2>"$NMT_TMP/sysd.fifo" &
SYSD=$!
nmt_track "$SYSD"
nmt_start arpd
ARPD=$NMT_PID
nmt_start capd
CAPD=$NMT_PID
nmt_wait 10 "all three helpers connected" nmt_all_connected

limit() { # PID "Max open files"  -> soft limit
	sed -n "s/^$2  *\([^ ]*\) .*/\1/p" "/proc/$1/limits"
}
check_limits() { # NAME PID NOFILE FSIZE [NPROC]
	local name=$1 pid=$2 v nproc=${5:-0}
	v=$(limit "$pid" "Max open files")
	[ "$v" = "$3" ] || nmt_fail "$name: RLIMIT_NOFILE is $v, want $3"
	v=$(limit "$pid" "Max processes")
	[ "$nproc" = any ] || [ "$v" = "$nproc" ] || nmt_fail "$name: RLIMIT_NPROC is $v, want $nproc"
	v=$(limit "$pid" "Max core file size")
	[ "$v" = 0 ] || nmt_fail "$name: RLIMIT_CORE is $v, want 0"
	v=$(limit "$pid" "Max file size")
	[ "$v" = "$4" ] || nmt_fail "$name: RLIMIT_FSIZE is $v, want $4"
	nmt_say "$name: NOFILE $3, NPROC $nproc, CORE 0, FSIZE $4"
}
check_limits reporter "$REPORTER" 256 unlimited any
check_limits sysd "$SYSD" 1024 0
check_limits arpd "$ARPD" 16 unlimited     # its stderr is a log file
check_limits capd "$CAPD" 16 unlimited
# still working under those limits
first=$(nmt_lines)
sleep 2
[ "$(nmt_lines)" -gt "$first" ] || nmt_fail "no snapshot under the limits"
nmt_all_connected || nmt_fail "a helper is no longer connected"

# --- capd --read as root --------------------------------------------------------
cp tests/pcap/fixtures/eth_ipv4.pcap "$NMT_TMP/offline.pcap"
chmod 600 "$NMT_TMP/offline.pcap"     # root's: opened before the drop
"$NMT_BIN/netmon-capd" --read "$NMT_TMP/offline.pcap" --networks 192.0.2.0/24 --dump \
	--test-hook=cat:/proc/self/status >"$NMT_TMP/offline.out" 2>"$NMT_TMP/offline.log" ||
	nmt_fail "capd --read as root failed: $(cat "$NMT_TMP/offline.log")"
# (the log escapes the tabs of /proc/self/status as \x09)
status() {
	sed -n "s/^.*cat \/proc\/self\/status: $1:\(.*\)/\1/p" "$NMT_TMP/offline.log" |
		sed 's/\\x09/ /g' | tr -s ' \t' ' ' | sed 's/^ //'
}
nobody=$(id -u nobody)
[ "$(status Uid)" = "$nobody $nobody $nobody $nobody" ] ||
	nmt_fail "capd --read as root: Uid '$(status Uid)', want nobody ($nobody) everywhere"
for cap in CapInh CapPrm CapEff CapBnd CapAmb; do
	[ "$(status $cap)" = 0000000000000000 ] ||
		nmt_fail "capd --read as root: $cap is '$(status $cap)', want 0000000000000000"
done
[ "$(status NoNewPrivs)" = 1 ] || nmt_fail "capd --read as root: NoNewPrivs '$(status NoNewPrivs)'"
[ "$(status Seccomp)" = 2 ] || nmt_fail "capd --read as root: Seccomp '$(status Seccomp)'"
cmp -s "$NMT_TMP/offline.out" tests/pcap/fixtures/eth_ipv4.json ||
	nmt_fail "capd --read as root printed other counters than the golden"
nmt_say "capd --read as root: uid $nobody, no capabilities, NoNewPrivs 1, Seccomp 2, golden output"

# with a config file: its [capd] user
printf '[agent]\nuser = root\n[capd]\nuser = nobody\n' >"$NMT_TMP/offline.conf"
chmod 644 "$NMT_TMP/offline.conf"
"$NMT_BIN/netmon-capd" -c "$NMT_TMP/offline.conf" --read "$NMT_TMP/offline.pcap" \
	--test-hook=cat:/proc/self/status >/dev/null 2>"$NMT_TMP/offline.log" ||
	nmt_fail "capd -c --read as root failed: $(cat "$NMT_TMP/offline.log")"
[ "$(status Uid)" = "$nobody $nobody $nobody $nobody" ] ||
	nmt_fail "capd -c --read as root: Uid '$(status Uid)', want [capd] user nobody"
nmt_say "capd -c FILE --read as root: runs as the [capd] user"
nmt_say "PASS"
