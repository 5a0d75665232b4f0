#!/bin/sh
# netmon-capd --read F --networks N --dump must print exactly the counters the
# generator expects (SPEC section 4), for several seeds, sizes, snaplens and
# network lists. Both sides are sorted before comparing.
# Skips (77) only while build/netmon-capd has no --read in its --help.
set -eu
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
GEN=tests/pcap/gen/gen_traffic.py
CAPD=build/netmon-capd

if [ ! -x "$CAPD" ]; then
	echo "FAIL: $CAPD is missing: run make first"
	exit 1
fi
if ! "$CAPD" --help 2>&1 | grep -q -- '--read'; then
	echo "SKIP: $CAPD has no offline --read mode yet"
	exit 77
fi
tmp=$(mktemp -d /tmp/nmt-gen-capd.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

LAN=198.18.0.0/15,2001:db8:1::/64
PARTIAL=198.18.0.0/27,203.0.113.0/25,2001:db8:1::/64
V4ONLY=198.18.0.0/16
V6ONLY=2001:db8:1::/64,2001:db8:ffff::/48
fails=0

case_() { # name networks gen-args...
	name=$1 nets=$2
	shift 2
	$PY "$GEN" --out "$tmp/$name.pcap" --expected "$tmp/$name.jsonl" --networks "$nets" "$@" \
		--quiet
	st=0
	"$CAPD" --read "$tmp/$name.pcap" --networks "$nets" --dump >"$tmp/$name.out" \
		2>"$tmp/$name.err" || st=$?
	sort "$tmp/$name.jsonl" >"$tmp/$name.want"
	sort "$tmp/$name.out" >"$tmp/$name.got"
	if [ "$st" -ne 0 ]; then
		echo "FAIL $name ($*): capd exited $st"
		cat "$tmp/$name.err"
		fails=$((fails + 1))
	elif ! cmp -s "$tmp/$name.want" "$tmp/$name.got"; then
		echo "FAIL $name ($*, networks $nets): capd differs from expected (- expected, + capd):"
		diff -u "$tmp/$name.want" "$tmp/$name.got" | sed -n '3,40p'
		fails=$((fails + 1))
	else
		echo "ok   $name: $(wc -l <"$tmp/$name.want") lines equal ($*, networks $nets)"
	fi
}

case_ full-65535 "$LAN" --seed 1 --packets 20000 --hosts 50
case_ full-64 "$PARTIAL" --seed 2 --packets 50000 --hosts 300 --snaplen 64
case_ full-96-v4 "$V4ONLY" --seed 3 --packets 20000 --hosts 80 --snaplen 96
case_ full-54-v6 "$V6ONLY" --seed 4 --packets 20000 --hosts 80 --snaplen 54
# 34 = an untagged IPv4 header exactly; tags push it past the snaplen.
case_ full-34 "$LAN" --seed 5 --packets 10000 --hosts 20 --snaplen 34
case_ many-hosts "$LAN" --seed 6 --packets 200000 --hosts 5000 --snaplen 128
case_ clean "$LAN" --seed 7 --packets 20000 --profile clean
case_ empty "$LAN" --seed 8 --packets 0

if [ "$fails" -ne 0 ]; then
	echo "$fails case(s) failed"
	exit 1
fi
echo "PASS: capd --dump equals the generator's expected counters"
