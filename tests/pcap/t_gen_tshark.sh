#!/bin/sh
# Checks the traffic generator's expected counters against an independent tool:
# tshark's endpoint tables (-z endpoints,eth / ip / ipv6) must agree with them.
#
# Where tshark and SPEC section 4 define things differently, and how this test
# keeps the comparison to what both define the same way:
#  * IPv4 total length 0: tshark assumes TSO and counts the packet (ip.tso_support);
#    SPEC rejects it (IHL*4 > total length). The "clean" profile leaves those out.
#  * IPv4 options cut off by the snaplen: tshark stops before tapping, SPEC counts
#    (the header fits in the wire length). So the IP comparisons use snaplens that
#    keep every IPv4 header whole: 65535, and 96 (the longest is 14 + 3 tags * 4
#    + 60 = 86 bytes).
#  * rx to broadcast/multicast MACs: tshark credits it, SPEC does not; the MAC
#    comparison checks only tx for group MACs (and that the expected rx is 0).
#  * PPPoE session frames and MPLS label stacks (classes pppoe4/6, pppoelcp,
#    mpls4/6, in every profile) are decoded to IP by both. tshark does not check
#    a PPPoE header's version/type (1/1) and code (0), SPEC's reading here does
#    (docs/accounting.md); the generator writes only valid ones.
#  * everything else (bad versions, IHL < 5, IHL*4 > total length, headers past the
#    end of the wire, runts, truncated tags, IPv6 shorter than 40 bytes, stacked
#    802.1Q/802.1ad tags, total length longer than the frame) is defined the same
#    way by both, and stays in.
# Bytes: tshark counts frame.len (the wire length), as SPEC does; case B cuts most
# frames with a snaplen of 96 to show the two agree on wire bytes, not captured bytes.
#
# It also proves the comparison can fail: a copy of the expected file with one
# counter off by one byte, and one with a line missing, must both be rejected.
set -eu
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
GEN=tests/pcap/gen/gen_traffic.py
CMP=tests/pcap/gen/compare_tshark.py

if ! command -v tshark >/dev/null 2>&1; then
	echo "SKIP: tshark not installed"
	exit 77
fi
tmp=$(mktemp -d /tmp/nmt-gen-tshark.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

endpoints() { # pcap out
	tshark -n -r "$1" -q -z endpoints,eth -z endpoints,ip -z endpoints,ipv6 >"$2" 2>"$2.err" || {
		cat "$2.err" >&2
		return 1
	}
}

check() { # name checks networks gen-args...
	name=$1 checks=$2 nets=$3
	shift 3
	echo "== $name: $*"
	$PY "$GEN" --out "$tmp/$name.pcap" --expected "$tmp/$name.jsonl" --networks "$nets" "$@" \
		2>"$tmp/$name.gen"
	cat "$tmp/$name.gen"
	endpoints "$tmp/$name.pcap" "$tmp/$name.ts"
	$PY "$CMP" --check "$checks" --networks "$nets" "$tmp/$name.jsonl" "$tmp/$name.ts"
}

LAN=198.18.0.0/15,2001:db8:1::/64
# Part of the LAN plus part of the "internet": locality must follow --networks.
PARTIAL=198.18.0.0/27,203.0.113.0/25,2001:db8:1::/64

check A ip,mac "$LAN" --profile clean --seed 7 --packets 30000 --hosts 40
check B ip,mac "$PARTIAL" --profile clean --seed 8 --packets 30000 --hosts 300 --snaplen 96
cut=$(sed -n 's/.* \([0-9]*\) cut by the snaplen.*/\1/p' "$tmp/B.gen")
if [ "${cut:-0}" -lt 1000 ]; then
	echo "FAIL: case B was meant to cut most frames at the snaplen, cut ${cut:-none}"
	exit 1
fi
# MAC rules coincide for every class, malformed ones and runts included, at any snaplen.
check C mac "$LAN" --profile full --seed 9 --packets 30000 --hosts 60 --snaplen 64

# The comparison must be able to fail.
$PY - "$tmp/A.jsonl" >"$tmp/off-by-one.jsonl" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
i = next(n for n, line in enumerate(lines) if '"ip":' in line)
rec = json.loads(lines[i])
rec["rxBytes"] += 1
lines[i] = json.dumps(rec, separators=(",", ":"))
print("\n".join(lines))
EOF
if cmp -s "$tmp/A.jsonl" "$tmp/off-by-one.jsonl"; then
	echo "FAIL: could not build the off-by-one control"
	exit 1
fi
sed '$d' "$tmp/A.jsonl" >"$tmp/missing-line.jsonl"
for bad in off-by-one missing-line; do
	if $PY "$CMP" --check ip,mac --networks "$LAN" "$tmp/$bad.jsonl" "$tmp/A.ts" >"$tmp/$bad.out"; then
		echo "FAIL: compare_tshark accepted the $bad control"
		exit 1
	fi
	echo "control $bad rejected: $(head -n 1 "$tmp/$bad.out")"
done
echo "PASS: generator agrees with tshark"
