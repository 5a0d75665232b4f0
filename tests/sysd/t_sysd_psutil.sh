#!/bin/sh
# time-limit: 90
# netmon-sysd --once --dump against Debian's python3-psutil read at the same
# moment (tests/sysd/compare_psutil.py holds the comparisons and documents
# each tolerance). Inside a network namespace made here, with a veth pair
# whose traffic the test makes (then stops, so byte counters compare
# exactly), and under a fixed CPU load: one busy loop pinned to CPU 0.
# Then the CPU formula alone on two fixture readings of /proc/stat
# (tests/sysd/cpu_formula_psutil.py), which tells a wrong formula apart even
# when the machine's CPUs are saturated and both tools read 100 %.
. tests/integration/lib.sh

command -v taskset >/dev/null 2>&1 || nmt_skip "needs taskset (util-linux)"
"$NMT_PY" -c 'import psutil' 2>/dev/null || nmt_skip "needs python3-psutil"
nmt_init sysdps veth

# traffic both ways over the veth pair for a second, then quiet
ip netns exec "$NMT_PEER" timeout 5 "$NMT_PY" -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end = time.monotonic() + 1
while time.monotonic() < end:
    s.sendto(b"x" * 1000, ("198.18.0.1", 9))
    time.sleep(0.001)' || nmt_fail "cannot send the test traffic"
sleep 0.5   # ICMP answers drained

# the fixed load: a busy loop on CPU 0 for the whole comparison
nmt_bg taskset -c 0 timeout 30 sh -c 'while :; do :; done'
sleep 0.5
timeout 60 ip netns exec "$NMT_NS" "$NMT_PY" tests/sysd/compare_psutil.py \
	"$NMT_BIN/netmon-sysd" 2 || nmt_fail "netmon-sysd and psutil disagree"
timeout 60 "$NMT_PY" tests/sysd/cpu_formula_psutil.py "$NMT_BIN/netmon-sysd" ||
	nmt_fail "netmon-sysd and psutil compute CPU percent differently"
