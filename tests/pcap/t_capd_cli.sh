#!/bin/sh
# netmon-capd's command line (SPEC §2): help/version exit 0, a bad command
# line is one line on stderr and exit 2, config problems exit 1, and offline
# mode takes networks/max_devices from a config file named with -c.
set -u
. tests/pcap/lib.sh
need_bins "$CAPD"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# expect STATUS STDERR_LINES NAME -- ARGS...
expect() {
	want=$1 lines=$2 name=$3; shift 4
	"$CAPD" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	n=$(wc -l <"$tmp/err")
	if [ $st -ne "$want" ]; then
		echo "FAIL $name: exit $st, want $want"; cat "$tmp/err"; fail=1
	elif [ "$lines" != any ] && [ "$n" -ne "$lines" ]; then
		echo "FAIL $name: $n stderr lines, want $lines"; cat "$tmp/err"; fail=1
	else
		echo "ok $name"
	fi
}

expect 0 0 help -- --help
grep -q -- '--read' "$tmp/out" || { echo "FAIL help does not mention --read"; fail=1; }
expect 0 0 help-short -- -h
expect 0 0 version -- -V
grep -q '^netmon [0-9]' "$tmp/out" || { echo "FAIL version output"; fail=1; }
expect 0 0 version-long -- --version
expect 2 1 unknown-option -- --no-such-option
expect 2 1 unknown-bundled -- -qh
grep -q "unknown option '-q'" "$tmp/err" || { echo "FAIL unknown-bundled names the wrong option"; cat "$tmp/err"; fail=1; }
expect 2 1 missing-argument -- --read
expect 2 1 stray-argument -- --read "$FIX/raw.pcap" extra
expect 2 1 bad-networks -- --read "$FIX/raw.pcap" --networks 192.0.2.0/33 --dump
expect 2 1 empty-network-item -- --read "$FIX/raw.pcap" --networks 192.0.2.0/24,,10.0.0.0/8
expect 2 1 max-devices-zero -- --read "$FIX/raw.pcap" --max-devices 0
expect 2 1 max-devices-junk -- --read "$FIX/raw.pcap" --max-devices 12x
expect 2 1 max-devices-negative -- --read "$FIX/raw.pcap" --max-devices -5
expect 2 1 read-and-interface -- --read "$FIX/raw.pcap" -i lo
expect 1 1 missing-config -- -c "$tmp/nope.conf" --read "$FIX/raw.pcap" --dump

# a config file's networks apply offline when it is named with -c
printf '[agent]\nnetworks = 198.18.0.0/15\n' >"$tmp/raw.conf"
expect 0 0 config-networks -- -c "$tmp/raw.conf" --read "$FIX/raw.pcap" --dump
diff -u "$FIX/raw.json" "$tmp/out" || { echo "FAIL config-networks output"; fail=1; }
# --networks on the command line wins over the file
expect 0 0 cli-networks-win -- -c "$tmp/raw.conf" --read "$FIX/raw.pcap" --networks 203.0.113.0/24 --dump
[ "$(cat "$tmp/out")" = '{"ip":"203.0.113.1","rxBytes":1500,"txBytes":0,"rxPackets":1,"txPackets":0}' ] ||
	{ echo "FAIL cli-networks-win output:"; cat "$tmp/out"; fail=1; }
printf '[agent]\nnetworks = 198.18.0.0/15\nbogus = 1\n' >"$tmp/bad.conf"
expect 1 1 bad-config -- -c "$tmp/bad.conf" --read "$FIX/raw.pcap" --dump
grep -q 'bad.conf:3' "$tmp/err" || { echo "FAIL bad-config error does not name file:line"; fail=1; }
expect 1 any bad-config-check -- -c "$tmp/bad.conf" --check-config
expect 0 0 check-config -- -c "$tmp/raw.conf" --check-config
grep -q '^max_devices = 65536' "$tmp/out" || { echo "FAIL check-config output"; fail=1; }

# a table too small: output has at most N entries and a warning names evictions
expect 0 1 evictions -- --read "$FIX/raw.pcap" --max-devices 2 --dump
[ "$(wc -l <"$tmp/out")" -le 2 ] || { echo "FAIL evictions: more entries than slots"; fail=1; }
grep -q 'evicted' "$tmp/err" || { echo "FAIL evictions: no warning"; fail=1; }

# --read without --dump: no output, a summary on stderr
expect 0 1 read-summary -- --read "$FIX/eth_ipv4.pcap"
[ -s "$tmp/out" ] && { echo "FAIL read-summary wrote to stdout"; fail=1; }
grep -q '3 packets, 1674 bytes' "$tmp/err" || { echo "FAIL read-summary:"; cat "$tmp/err"; fail=1; }

exit $fail
