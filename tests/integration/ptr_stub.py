#!/usr/bin/python3
"""A test DNS server for reverse lookups, on UDP ADDR:53 of the namespace it
runs in:

  ptr_stub.py ADDR MAPFILE LOG [silent]

MAPFILE has lines "IPV4 NAME TTL": a PTR query for IPV4 is answered with NAME
(TTL seconds); other PTR queries get NXDOMAIN; with `silent` nothing is ever
answered (a dead resolver). Every query is logged to LOG as "QNAME QTYPE"."""
import socket
import struct
import sys


def main():
    addr, mapfile, log = sys.argv[1:4]
    silent = len(sys.argv) > 4 and sys.argv[4] == "silent"
    names = {}
    for line in open(mapfile):
        if line.strip():
            ip, name, ttl = line.split()
            rev = ".".join(reversed(ip.split("."))) + ".in-addr.arpa"
            names[rev] = (name, int(ttl))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((addr, 53))
    while True:
        q, peer = s.recvfrom(512)
        if len(q) < 12:
            continue
        qid, flags = struct.unpack(">HH", q[:4])
        i, labels = 12, []
        while i < len(q) and q[i] != 0:
            labels.append(q[i + 1:i + 1 + q[i]].decode("ascii", "replace"))
            i += 1 + q[i]
        qtype = struct.unpack(">H", q[i + 1:i + 3])[0]
        qname = ".".join(labels).lower()
        with open(log, "a") as f:
            f.write("%s %d\n" % (qname, qtype))
        if silent:
            continue
        question = q[12:i + 5]
        an, rcode = b"", 3
        if qtype == 12 and qname in names:
            name, ttl = names[qname]
            rdata = b"".join(bytes([len(l)]) + l.encode() for l in name.split(".")) + b"\x00"
            an = b"\xc0\x0c" + struct.pack(">HHIH", 12, 1, ttl, len(rdata)) + rdata
            rcode = 0
        hdr = struct.pack(">HHHHHH", qid, 0x8180 | (flags & 0x0100) | rcode, 1, 1 if an else 0, 0, 0)
        s.sendto(hdr + question + an, peer)


if __name__ == "__main__":
    main()
