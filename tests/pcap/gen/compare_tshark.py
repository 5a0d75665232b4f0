#!/usr/bin/python3
"""Compare tshark endpoint tables with a gen_traffic.py expected file.

Usage: compare_tshark.py --check ip|mac|ip,mac --networks CIDR,... EXPECTED TSHARK_OUT

TSHARK_OUT is the output of
  tshark -n -r F.pcap -q -z endpoints,eth -z endpoints,ip -z endpoints,ipv6
(sections not checked may be missing).

ip:  every address inside --networks that tshark lists must be expected with the
     same tx/rx packets and bytes, and every expected IP must be listed by tshark.
mac: every MAC either side lists must agree on tx; on rx only for unicast MACs,
     because tshark credits rx to broadcast/multicast destinations and SPEC
     section 4 does not (the expected rx of a group MAC must be 0).
Exits 0 when all agree, 1 with one line per difference otherwise.
"""

import argparse
import ipaddress
import json
import sys

SECTIONS = {"Ethernet Endpoints": "mac", "IPv4 Endpoints": "ip", "IPv6 Endpoints": "ip"}
FIELDS = ("txPackets", "txBytes", "rxPackets", "rxBytes")


def parse_tshark(path):
    """{"mac": {addr: (txP, txB, rxP, rxB)}, "ip": {...}} from endpoint tables."""
    tables, current, seen = {"mac": {}, "ip": {}}, None, set()
    with open(path) as f:
        for raw in f:
            line = raw.strip()
            if line in SECTIONS:
                current = SECTIONS[line]
                seen.add(line)
                continue
            if current is None or not line or line.startswith(("Filter:", "|", "=")):
                continue
            fields = line.split()
            if len(fields) != 7:
                raise ValueError("%s: unexpected endpoints line: %r" % (path, line))
            addr = fields[0].lower()
            if current == "ip":
                addr = str(ipaddress.ip_address(addr))
            pkts, byts, txp, txb, rxp, rxb = (int(x) for x in fields[1:])
            # tshark's own totals must be the sums of its directions
            if pkts != txp + rxp or byts != txb + rxb:
                raise ValueError("%s: totals do not add up: %r" % (path, line))
            tables[current][addr] = (txp, txb, rxp, rxb)
    return tables, seen


def parse_expected(path):
    tables = {"mac": {}, "ip": {}}
    with open(path) as f:
        for line in f:
            rec = json.loads(line)
            kind = "mac" if "mac" in rec else "ip"
            addr = rec[kind] if kind == "mac" else str(ipaddress.ip_address(rec["ip"]))
            tables[kind][addr] = tuple(rec[n] for n in FIELDS)
    return tables


def is_group_mac(mac):
    return int(mac[:2], 16) & 1 == 1


def compare(kind, tshark, expected, diffs):
    for addr in sorted(set(tshark) | set(expected)):
        t, e = tshark.get(addr), expected.get(addr)
        if kind == "mac" and is_group_mac(addr):
            if e is not None and e[2:] != (0, 0):
                diffs.append("%s: group MAC expected with rx %s" % (addr, e[2:]))
            # rx is credited by tshark only: compare tx, and only if either side has any
            t = None if t is None or t[:2] == (0, 0) else t[:2] + (0, 0)
            if t is None and e is None:
                continue
        if t is None:
            diffs.append("%s: expected %s, tshark does not list it" % (addr, e))
        elif e is None:
            diffs.append("%s: tshark counts %s, not in expected" % (addr, t))
        elif t != e:
            diffs.append("%s: %s" % (addr, ", ".join(
                "%s expected %d tshark %d" % (n, ev, tv)
                for n, ev, tv in zip(FIELDS, e, t) if ev != tv)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--check", default="ip")
    p.add_argument("--networks", required=True)
    p.add_argument("expected")
    p.add_argument("tshark_output")
    args = p.parse_args()
    checks = [c.strip() for c in args.check.split(",")]
    if not checks or any(c not in ("ip", "mac") for c in checks):
        p.error("--check takes ip, mac or ip,mac")
    nets = [ipaddress.ip_network(s.strip(), strict=False) for s in args.networks.split(",")]

    def local(a):
        ip = ipaddress.ip_address(a)
        return any(ip.version == n.version and ip in n for n in nets)

    try:
        tshark, seen = parse_tshark(args.tshark_output)
        expected = parse_expected(args.expected)
    except (OSError, ValueError) as e:
        sys.exit("compare_tshark: %s" % e)
    need = {"ip": ("IPv4 Endpoints", "IPv6 Endpoints"), "mac": ("Ethernet Endpoints",)}
    missing = [s for c in checks for s in need[c] if s not in seen]
    if missing:
        sys.exit("compare_tshark: %s lacks %s" % (args.tshark_output, ", ".join(missing)))
    tshark["ip"] = {a: c for a, c in tshark["ip"].items() if local(a)}
    diffs = []
    for kind in checks:
        if not expected[kind]:
            diffs.append("no %s lines expected: nothing to compare" % kind)
        compare(kind, tshark[kind], expected[kind], diffs)
    for d in diffs:
        print(d)
    print("compare_tshark: %s; %d differences" % (", ".join(
        "%d %s addresses" % (len(expected[k]), k) for k in checks), len(diffs)))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
