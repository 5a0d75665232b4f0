#!/bin/sh
# Golden tests for `netmon-capd --read FILE --dump` (tcpdump TESTLIST style):
# every fixtures/TESTLIST entry is run and its output diffed against NAME.json;
# then broken pcap files must give one clear error (file name, byte offset)
# and exit 1. Runs from the repository root; needs build/netmon-capd.
set -u
CAPD=${CAPD:-build/netmon-capd}
FIX=tests/pcap/fixtures
[ -x "$CAPD" ] || { echo "no $CAPD: run make first"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

grep -v '^#' "$FIX/TESTLIST" | while read -r name pcap networks; do
	[ -n "$name" ] || continue
	if [ "$networks" = "-" ]; then
		set -- --read "$FIX/$pcap" --dump
	else
		set -- --read "$FIX/$pcap" --networks "$networks" --dump
	fi
	if ! "$CAPD" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"; then
		echo "FAIL $name: exit status $?"; cat "$tmp/$name.err"; echo x >>"$tmp/failed"
	elif ! diff -u "$FIX/$name.json" "$tmp/$name.out"; then
		echo "FAIL $name: output differs from $FIX/$name.json"; echo x >>"$tmp/failed"
	else
		echo "ok $name"
	fi
done
[ -e "$tmp/failed" ] && fail=1

# expect_error NAME FILE PATTERN...: exit 1, stderr one line naming FILE and
# matching every PATTERN, nothing on stdout.
expect_error() {
	name=$1 file=$2; shift 2
	"$CAPD" --read "$file" --dump >"$tmp/e.out" 2>"$tmp/e.err"
	st=$?
	ok=1
	[ $st -eq 1 ] || { echo "FAIL $name: exit $st, want 1"; ok=0; }
	[ -s "$tmp/e.out" ] && { echo "FAIL $name: output on stdout"; ok=0; }
	[ "$(wc -l <"$tmp/e.err")" -eq 1 ] || { echo "FAIL $name: want one line on stderr"; ok=0; }
	grep -qF "$file" "$tmp/e.err" || { echo "FAIL $name: error does not name $file"; ok=0; }
	for pat in "$@"; do
		grep -qE "$pat" "$tmp/e.err" || { echo "FAIL $name: error lacks /$pat/"; ok=0; }
	done
	sed 's/^/    /' "$tmp/e.err"
	if [ $ok -eq 1 ]; then echo "ok $name"; else fail=1; fi
}

# eth_ipv4.pcap: 24-byte file header, record 1 = 16 + 100 bytes; cut inside
# record 2's data (it starts at 140 + 16 = 156): libpcap reads to EOF, 170.
head -c 170 "$FIX/eth_ipv4.pcap" >"$tmp/cut-data.pcap"
expect_error truncated-data "$tmp/cut-data.pcap" 'truncated' 'byte offset 170' 'after 1 packets'
# cut inside record 2's 16-byte header
head -c 148 "$FIX/eth_ipv4.pcap" >"$tmp/cut-hdr.pcap"
expect_error truncated-header "$tmp/cut-hdr.pcap" 'truncated' 'byte offset 148' 'after 1 packets'
# a record claiming 4 GiB captured
{ head -c 140 "$FIX/eth_ipv4.pcap"; printf '\0\0\0\0\0\0\0\0\377\377\377\377\377\377\377\377'; } \
	>"$tmp/huge.pcap"
expect_error huge-caplen "$tmp/huge.pcap" 'byte offset 156' 'after 1 packets'
# not a pcap at all
printf 'this is not a capture file, only text\n' >"$tmp/text.pcap"
expect_error not-pcap "$tmp/text.pcap" 'format'
expect_error missing "$tmp/does-not-exist.pcap" 'No such file'
# a file header cut short
head -c 10 "$FIX/eth_ipv4.pcap" >"$tmp/short-hdr.pcap"
expect_error short-file-header "$tmp/short-hdr.pcap" 'truncated'
# an unsupported link type (DLT_NULL = 0)
{ head -c 20 "$FIX/raw.pcap"; printf '\0\0\0\0'; } >"$tmp/null.pcap"
expect_error unsupported-dlt "$tmp/null.pcap" 'link type 0 .* not supported'

exit $fail
