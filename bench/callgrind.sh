#!/bin/sh
# Instruction counts of capd --read under callgrind: a noise-free comparison
# of two builds on one fixed input, for a shared machine where wall times
# move by 10-20 %. Valgrind does not implement seccomp(2), so capd runs with
# bench/seccomp_stub.c preloaded (its sandbox is not applied: measurement
# only).
#
# Usage: sh bench/callgrind.sh [CAPD...]   (default build/netmon-capd)
# Knobs: CG_PACKETS (200000), CG_SEED (1), CG_PCAP (an existing file to read
# instead of a generated one; generated files change when the generator's
# traffic classes do, so keep one file for before/after comparisons).
set -eu
cd "$(dirname "$0")/.."
PY=/usr/bin/python3
NETS=198.18.0.0/15,2001:db8:1::/64
tmp=$(mktemp -d /tmp/nmt-callgrind.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM
command -v valgrind >/dev/null 2>&1 || { echo "callgrind.sh: valgrind is not installed" >&2; exit 1; }
[ $# -gt 0 ] || set -- build/netmon-capd
# shellcheck disable=SC2046
cc -shared -fPIC -O2 -Wall -Wextra -o "$tmp/seccomp_stub.so" bench/seccomp_stub.c \
	$(pkg-config --cflags libseccomp)
pcap=${CG_PCAP:-}
if [ -z "$pcap" ]; then
	pcap=$tmp/cg.pcap
	$PY tests/pcap/gen/gen_traffic.py --out "$pcap" --packets "${CG_PACKETS:-200000}" \
		--snaplen 128 --seed "${CG_SEED:-1}" --hosts 50 --networks "$NETS" --quiet
fi
frames=$(capinfos -c -M "$pcap" 2>/dev/null | sed -n 's/^Number of packets: *//p')
for capd in "$@"; do
	LD_PRELOAD=$tmp/seccomp_stub.so valgrind --tool=callgrind \
		--callgrind-out-file="$tmp/cg.out" "$capd" --read "$pcap" --networks "$NETS" \
		--dump >/dev/null 2>"$tmp/cg.log"
	ir=$(sed -n 's/.*I *refs: *//p' "$tmp/cg.log" | tr -d ,)
	if [ -n "$frames" ] && [ "$frames" -gt 0 ]; then
		echo "$capd: $ir instructions, $((ir / frames)) per frame ($frames frames)"
	else
		echo "$capd: $ir instructions"
	fi
done
