#!/bin/sh
# capd live cuts frames to its snaplen in the kernel (issue 15): its packet
# socket always carries a BPF program, the configured filter or an accept-all
# one, whose return value is the snaplen. Without it TPACKET_V3 copies every
# frame whole into the ring (libpcap then cuts it in user space): 3-4x the
# ring blocks, wake-ups and kernel copying per frame for full-size traffic.
# Checked with `ss -0 -b` (the packet socket's filter through sock_diag), once
# without a filter and once with one. Needs root (exit 77 otherwise).
set -u
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh

command -v ss >/dev/null 2>&1 || nmt_skip "needs ss (iproute2)"
nmt_init capdsnap veth

# capd's socket filter, one instruction a line ("0x06 0 0 96" = ret #96)
capd_filter() { # PID
	ip netns exec "$NMT_NS" ss -0 -b -p 2>/dev/null |
		awk -v pid="pid=$1," '
			index($0, pid) { mine = 1; next }
			/^[^[:space:]]/ { mine = 0 }
			mine && /bpf filter/ { sub(/.*:[[:space:]]*/, ""); print }' |
		tr ',' '\n' | sed 's/^[[:space:]]*//; /^$/d'
}

check() { # SNAPLEN FILTER
	nmt_config "[capd]
snaplen = $1
filter = $2"
	runs=$((runs + 1))
	nmt_start capd
	pid=$NMT_PID
	nmt_wait 10 "capd capturing" capturing_lines "$runs"
	capd_filter "$pid" >"$NMT_TMP/filter"
	nmt_say "snaplen $1, filter '$2': socket filter $(tr '\n' ';' <"$NMT_TMP/filter")"
	# accepted frames are cut to the snaplen; nothing is accepted whole
	grep -qx "0x06 0 0 $1" "$NMT_TMP/filter" ||
		nmt_fail "snaplen $1, filter '$2': no 'ret #$1' (0x06 0 0 $1) in the socket's BPF program"
	if grep '^0x06 0 0 ' "$NMT_TMP/filter" | grep -vqx -e "0x06 0 0 $1" -e '0x06 0 0 0'; then
		nmt_fail "snaplen $1, filter '$2': the socket's BPF program accepts more than $1 bytes"
	fi
	nmt_stop "$pid"
	nmt_untrack "$pid"
}

# make sure ss can show a packet socket's filter here (packet_diag)
ip netns exec "$NMT_NS" timeout 5 tcpdump -i veth0 -s 77 -w /dev/null 2>/dev/null &
td=$!
nmt_track "$td"
sleep 1.5
ip netns exec "$NMT_NS" ss -0 -b 2>/dev/null | grep -q 'bpf filter' ||
	nmt_skip "ss shows no packet socket filters here (no packet_diag)"
nmt_stop "$td"
nmt_untrack "$td"

runs=0
capturing_lines() { [ "$(grep -c 'capturing on veth0' "$NMT_TMP/capd.log")" -ge "$1" ]; }
check 96 ""
check 160 "ip or arp"
nmt_say "PASS"
