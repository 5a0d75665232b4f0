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
# sections.pcapng's radiotap frame: skipped, and one warning says so and why
if grep -q '1 packets not counted.*link type 127 .*802.11' "$tmp/sections.err" &&
	[ "$(wc -l <"$tmp/sections.err")" -eq 1 ]; then
	echo "ok sections-warning"
else
	echo "FAIL sections-warning: want one warning about the radiotap frame"
	cat "$tmp/sections.err"
	fail=1
fi

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

# expect_partial NAME FILE WANT PATTERN...: a file cut or damaged after
# some complete records: exit 1, the counters of those records on stdout
# (equal to WANT, the --dump of a file that ends cleanly after them), then
# one line on stderr naming FILE and matching every PATTERN.
expect_partial() {
	name=$1 file=$2 want=$3; shift 3
	"$CAPD" --read "$file" --dump >"$tmp/p.out" 2>"$tmp/p.err"
	st=$?
	ok=1
	[ $st -eq 1 ] || { echo "FAIL $name: exit $st, want 1"; ok=0; }
	[ -s "$want" ] || { echo "FAIL $name: empty expected output $want"; ok=0; }
	diff -u "$want" "$tmp/p.out" || { echo "FAIL $name: counters differ"; ok=0; }
	[ "$(wc -l <"$tmp/p.err")" -eq 1 ] || { echo "FAIL $name: want one line on stderr"; ok=0; }
	grep -qF "$file" "$tmp/p.err" || { echo "FAIL $name: error does not name $file"; ok=0; }
	for pat in "$@"; do
		grep -qE "$pat" "$tmp/p.err" || { echo "FAIL $name: error lacks /$pat/"; ok=0; }
	done
	sed 's/^/    /' "$tmp/p.err"
	if [ $ok -eq 1 ]; then echo "ok $name"; else fail=1; fi
}
# dump_of FILE OUT: the --dump of a file that must read cleanly
dump_of() {
	"$CAPD" --read "$1" --dump >"$2" || { echo "FAIL: $1 does not read cleanly"; fail=1; }
}

# eth_ipv4.pcap: 24-byte file header, record 1 = 16 + 100 bytes; record 2
# starts at byte 140. The offset named is where the bad record starts; the
# counters are those of record 1 (the file cut cleanly after it).
head -c 140 "$FIX/eth_ipv4.pcap" >"$tmp/first.pcap"
dump_of "$tmp/first.pcap" "$tmp/first.want"
# Cut inside record 2's data:
head -c 170 "$FIX/eth_ipv4.pcap" >"$tmp/cut-data.pcap"
expect_partial truncated-data "$tmp/cut-data.pcap" "$tmp/first.want" 'truncated record: 14 of 60' \
	'byte offset 140' 'after 1 packets'
# cut inside record 2's 16-byte header
head -c 148 "$FIX/eth_ipv4.pcap" >"$tmp/cut-hdr.pcap"
expect_partial truncated-header "$tmp/cut-hdr.pcap" "$tmp/first.want" 'truncated record header' \
	'byte offset 140' 'after 1 packets'
# a record claiming 4 GiB captured
{ head -c 140 "$FIX/eth_ipv4.pcap"; printf '\0\0\0\0\0\0\0\0\377\377\377\377\377\377\377\377'; } \
	>"$tmp/huge.pcap"
expect_partial huge-caplen "$tmp/huge.pcap" "$tmp/first.want" 'captured length 4294967295' \
	'byte offset 140' 'after 1 packets'
# the same cut in a file libpcap reads (version 2.3): libpcap's message, and
# the offset where it stopped reading (the end of the file here)
rewrite_pcap "$FIX/eth_ipv4.pcap" "$tmp/v23.pcap" v23
head -c 170 "$tmp/v23.pcap" >"$tmp/cut-v23.pcap"
expect_partial truncated-data-libpcap "$tmp/cut-v23.pcap" "$tmp/first.want" 'truncated' \
	'byte offset 170' 'after 1 packets'
# a pcapng file cut inside its last block (capd's pcapng reader): the
# counters of the first three frames, as the classic file cut after them
# (vlan.pcap: 24 + 16+104 + 16+108 + 16+112 = 396 bytes; the pcapng file's
# fourth block, 48 bytes, starts at 28 + 20 + 136 + 140 + 144 = 468)
size=$(wc -c <"$FIX/vlan_ng.pcapng")
head -c $((size - 10)) "$FIX/vlan_ng.pcapng" >"$tmp/cut.pcapng"
head -c 396 "$FIX/vlan.pcap" >"$tmp/vlan3.pcap"
dump_of "$tmp/vlan3.pcap" "$tmp/vlan3.want"
expect_partial truncated-pcapng "$tmp/cut.pcapng" "$tmp/vlan3.want" 'truncated block: 38 of 48 bytes' \
	'byte offset 468' 'after 3 packets'
# a multi-interface pcapng cut inside its third block: frames 1 and 2 (the
# Ethernet and the Linux cooked one) count
/usr/bin/python3 - "$FIX/multi_linktype.pcapng" "$tmp" <<'PYEOF'
import struct, sys
b = open(sys.argv[1], "rb").read()
pos, blocks = 0, []
while pos < len(b):
    t, n = struct.unpack("<II", b[pos:pos + 8])
    blocks.append((t, pos, n))
    pos += n
epbs = [(p, n) for t, p, n in blocks if t == 6]
end2 = epbs[1][0] + epbs[1][1]
open(sys.argv[2] + "/multi-2.pcapng", "wb").write(b[:end2])
open(sys.argv[2] + "/multi-cut.pcapng", "wb").write(b[:end2 + 30])
# a packet on interface 5, which no IDB describes, as the third packet
bad = bytearray(b)
struct.pack_into("<I", bad, epbs[2][0] + 8, 5)
open(sys.argv[2] + "/multi-noiface.pcapng", "wb").write(bytes(bad))
# a trailer that disagrees with the header, in the third packet
bad = bytearray(b)
struct.pack_into("<I", bad, epbs[2][0] + epbs[2][1] - 4, 8)
open(sys.argv[2] + "/multi-trailer.pcapng", "wb").write(bytes(bad))
print(end2, file=open(sys.argv[2] + "/multi-2.offset", "w"))
PYEOF
dump_of "$tmp/multi-2.pcapng" "$tmp/multi-2.want"
off=$(cat "$tmp/multi-2.offset")
expect_partial truncated-multi "$tmp/multi-cut.pcapng" "$tmp/multi-2.want" 'truncated block' \
	"byte offset $off" 'after 2 packets'
expect_partial no-such-interface "$tmp/multi-noiface.pcapng" "$tmp/multi-2.want" \
	'interface 5, which has no interface description block' "byte offset $off" 'after 2 packets'
expect_partial bad-trailer "$tmp/multi-trailer.pcapng" "$tmp/multi-2.want" \
	'in the trailer differ' "byte offset $off" 'after 2 packets'
# not a pcap at all
printf 'this is not a capture file, only text\n' >"$tmp/text.pcap"
expect_error not-pcap "$tmp/text.pcap" 'format'
expect_error missing "$tmp/does-not-exist.pcap" 'No such file'
# a file header cut short
head -c 10 "$FIX/eth_ipv4.pcap" >"$tmp/short-hdr.pcap"
expect_error short-file-header "$tmp/short-hdr.pcap" 'truncated'
# 802.11 with radiotap: refused, saying why
expect_error radiotap "$FIX/radiotap.pcap" 'link type 127 .* not supported: 802.11 frames have no Ethernet'
# another unsupported link type (USER0 = 147): the message lists what is decoded
{ head -c 20 "$FIX/raw.pcap"; printf '\223\0\0\0'; } >"$tmp/user0.pcap"
expect_error unsupported-dlt "$tmp/user0.pcap" 'link type 147 .* not supported: capd decodes Ethernet'
# a pcapng file whose only interface is radiotap
/usr/bin/python3 - "$tmp/radiotap.pcapng" <<'PYEOF'
import struct, sys
def block(t, body):
    body += bytes(-len(body) % 4)
    return struct.pack("<II", t, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
out = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
out += block(1, struct.pack("<HHI", 127, 0, 65535))
out += block(6, struct.pack("<IIIII", 0, 0, 0, 40, 40) + bytes(40))
open(sys.argv[1], "wb").write(out)
PYEOF
expect_error radiotap-pcapng "$tmp/radiotap.pcapng" 'link type 127 .* not supported: 802.11'
# a pcapng section header of a version capd does not know
printf '\012\015\015\012\034\0\0\0\115\074\053\032\002\0\0\0\377\377\377\377\377\377\377\377\034\0\0\0' \
	>"$tmp/v2.pcapng"
expect_error pcapng-version "$tmp/v2.pcapng" 'unsupported pcapng version 2.0' 'byte offset 0'

exit $fail
