#!/bin/sh
# Golden tests for `netmon-capd --read FILE --dump` (tcpdump TESTLIST style):
# every fixtures/TESTLIST entry is run and its output diffed against NAME.json;
# then broken pcap files must give one clear error (file name, byte offset)
# and exit 1. Runs from the repository root; needs build/netmon-capd.
set -u
. tests/pcap/lib.sh
need_bins "$CAPD"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

# golden NAME FILE NETWORKS [GOLDEN_NAME]: --dump of FILE must equal
# GOLDEN_NAME.json (default NAME.json). FILE "-" reads standard input.
golden() {
	g_name=$1 g_file=$2 g_nets=$3 g_want=${4:-$1}
	if [ "$g_nets" = "-" ]; then
		set -- --read "$g_file" --dump
	else
		set -- --read "$g_file" --networks "$g_nets" --dump
	fi
	if ! "$CAPD" "$@" >"$tmp/$g_name.out" 2>"$tmp/$g_name.err"; then
		echo "FAIL $g_name: exit status $?"; cat "$tmp/$g_name.err"; echo x >>"$tmp/failed"
	elif ! diff -u "$FIX/$g_want.json" "$tmp/$g_name.out"; then
		echo "FAIL $g_name: output differs from $FIX/$g_want.json"; echo x >>"$tmp/failed"
	else
		echo "ok $g_name"
	fi
}

# rewrite_pcap IN OUT be|nsec|v23: the same records in a big-endian file, a
# nanosecond file, or a version 2.3 file (the last goes to libpcap's reader,
# the others to capd's own: both must give the same counters).
rewrite_pcap() {
	/usr/bin/python3 - "$@" <<'EOF'
import struct, sys
src, dst, how = sys.argv[1:]
b = open(src, "rb").read()
magic, major, minor, zone, sigfigs, snap, lt = struct.unpack("<IHHiIII", b[:24])
out_e = ">" if how == "be" else "<"
magic = 0xA1B23C4D if how == "nsec" else 0xA1B2C3D4
minor = 3 if how == "v23" else minor
out = [struct.pack(out_e + "IHHiIII", magic, major, minor, zone, sigfigs, snap, lt)]
pos = 24
while pos < len(b):
    sec, frac, cap, wire = struct.unpack("<IIII", b[pos:pos + 16])
    frac = frac * 1000 if how == "nsec" else frac
    out.append(struct.pack(out_e + "IIII", sec, frac, cap, wire) + b[pos + 16:pos + 16 + cap])
    pos += 16 + cap
open(dst, "wb").write(b"".join(out))
EOF
}

grep -v '^#' "$FIX/TESTLIST" >"$tmp/list"
while read -r name pcap networks; do
	[ -n "$name" ] || continue
	golden "$name" "$FIX/$pcap" "$networks"
	case $pcap in
	*.pcap)
		for how in be nsec v23; do
			rewrite_pcap "$FIX/$pcap" "$tmp/$name-$how.pcap" "$how"
			golden "$name-$how" "$tmp/$name-$how.pcap" "$networks" "$name"
		done
		# through a pipe: libpcap reads it, from the first byte
		golden "$name-pipe" - "$networks" "$name" <"$FIX/$pcap"
		;;
	esac
done <"$tmp/list"
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

# eth_ipv4.pcap: 24-byte file header, record 1 = 16 + 100 bytes; record 2
# starts at byte 140. The offset named is where the bad record starts.
# Cut inside record 2's data:
head -c 170 "$FIX/eth_ipv4.pcap" >"$tmp/cut-data.pcap"
expect_error truncated-data "$tmp/cut-data.pcap" 'truncated record: 14 of 60' 'byte offset 140' \
	'after 1 packets'
# cut inside record 2's 16-byte header
head -c 148 "$FIX/eth_ipv4.pcap" >"$tmp/cut-hdr.pcap"
expect_error truncated-header "$tmp/cut-hdr.pcap" 'truncated record header' 'byte offset 140' \
	'after 1 packets'
# a record claiming 4 GiB captured
{ head -c 140 "$FIX/eth_ipv4.pcap"; printf '\0\0\0\0\0\0\0\0\377\377\377\377\377\377\377\377'; } \
	>"$tmp/huge.pcap"
expect_error huge-caplen "$tmp/huge.pcap" 'captured length 4294967295' 'byte offset 140' \
	'after 1 packets'
# the same cut in a file libpcap reads (version 2.3): libpcap's message, and
# the offset where it stopped reading (the end of the file here)
rewrite_pcap "$FIX/eth_ipv4.pcap" "$tmp/v23.pcap" v23
head -c 170 "$tmp/v23.pcap" >"$tmp/cut-v23.pcap"
expect_error truncated-data-libpcap "$tmp/cut-v23.pcap" 'truncated' 'byte offset 170' \
	'after 1 packets'
# a pcapng file cut short (libpcap's reader)
size=$(wc -c <"$FIX/vlan_ng.pcapng")
head -c $((size - 10)) "$FIX/vlan_ng.pcapng" >"$tmp/cut.pcapng"
expect_error truncated-pcapng "$tmp/cut.pcapng" 'truncated' 'byte offset'
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
