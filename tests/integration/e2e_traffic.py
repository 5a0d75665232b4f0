#!/usr/bin/python3
"""Known traffic and its independent count, for t_e2e_lan.sh. Standard library
only; nothing here shares code with netmon.

  e2e_traffic.py sink PORT OUT          receive UDP on PORT until SIGTERM, then
                                        write {"SRC_IP": [datagrams, payload bytes]} to OUT
  e2e_traffic.py send SRC DST PORT COUNT SIZE
                                        COUNT datagrams of SIZE payload bytes from
                                        SRC:PORT to DST:PORT; prints one JSON line with
                                        the frames and their wire bytes (14 Ethernet +
                                        20 IPv4 + 8 UDP + SIZE each: veth pads nothing)
  e2e_traffic.py expect PLAN            sum a plan (the send lines) per IP, by SPEC §4:
                                        tx to the source, rx to the destination
  e2e_traffic.py pcap FILE CIDR         sum a capture per IP by SPEC §4 (IPv4 only: the
                                        test's networks): frame wire length (`len`),
                                        802.1Q/802.1ad tags skipped, the IPv4 header
                                        checks of §4; tx to a source, rx to a destination
                                        inside CIDR. Prints {"ips": {...}, "frames": {...}}
                                        with the frames by kind (ipv4, arp, ipv6, other)

Per-IP sums are {"IP": [rxBytes, txBytes, rxPackets, txPackets]}.
"""
import ipaddress
import json
import signal
import socket
import struct
import sys
import time

ETH, IPV4, UDP = 14, 20, 8


def sink(port, out):
    got = {}
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind(("0.0.0.0", port))
    s.settimeout(0.2)
    print("listening", flush=True)
    while not stop:
        try:
            data, (src, _) = s.recvfrom(65536)
        except socket.timeout:
            continue
        except InterruptedError:
            continue
        n = got.setdefault(src, [0, 0])
        n[0] += 1
        n[1] += len(data)
    with open(out, "w") as f:
        json.dump(got, f)


def send(src, dst, port, count, size):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    payload = bytes((i * 7) & 0xFF for i in range(size))
    for i in range(count):
        if s.sendto(payload, (dst, port)) != size:
            sys.exit("short send")
        if i == 0:
            time.sleep(0.2)  # the neighbour is resolved: nothing waits in the ARP queue
        elif i % 25 == 0:
            time.sleep(0.005)  # a pace capd's ring never drops at, even on a busy machine
    print(json.dumps({"src": src, "dst": dst, "frames": count,
                      "bytes": count * (ETH + IPV4 + UDP + size)}))


def add(table, ip, rx_b, tx_b, rx_p, tx_p):
    t = table.setdefault(ip, [0, 0, 0, 0])
    t[0] += rx_b
    t[1] += tx_b
    t[2] += rx_p
    t[3] += tx_p


def expect(plan):
    table = {}
    for line in open(plan):
        if not line.strip():
            continue
        f = json.loads(line)
        add(table, f["src"], 0, f["bytes"], 0, f["frames"])
        add(table, f["dst"], f["bytes"], 0, f["frames"], 0)
    print(json.dumps(table, sort_keys=True))


def pcap(path, cidr):
    net = ipaddress.ip_network(cidr)
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        sys.exit("%s: not a pcap file" % path)
    linktype = struct.unpack(end + "I", data[20:24])[0]
    if linktype != 1:
        sys.exit("%s: link type %d, not Ethernet" % (path, linktype))
    table, kinds = {}, {}
    off = 24
    while off + 16 <= len(data):
        incl, wire = struct.unpack(end + "II", data[off + 8:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if len(frame) < incl:
            sys.exit("%s: cut in the middle of a frame" % path)
        kind = "other"
        if len(frame) >= ETH:
            etype, p = struct.unpack(">H", frame[12:14])[0], ETH
            while etype in (0x8100, 0x88A8) and len(frame) >= p + 4:
                etype, p = struct.unpack(">H", frame[p + 2:p + 4])[0], p + 4
            if etype == 0x0806:
                kind = "arp"
            elif etype == 0x86DD:
                kind = "ipv6"
            elif etype == 0x0800 and len(frame) >= p + IPV4:
                ver, ihl = frame[p] >> 4, frame[p] & 15
                total = struct.unpack(">H", frame[p + 2:p + 4])[0]
                if ver == 4 and ihl >= 5 and ihl * 4 <= total and p + ihl * 4 <= wire:
                    kind = "ipv4"
                    src = ipaddress.ip_address(frame[p + 12:p + 16])
                    dst = ipaddress.ip_address(frame[p + 16:p + 20])
                    if src in net:
                        add(table, str(src), 0, wire, 0, 1)
                    if dst in net:
                        add(table, str(dst), wire, 0, 1, 0)
        k = kinds.setdefault(kind, [0, 0])
        k[0] += 1
        k[1] += wire
    print(json.dumps({"ips": table, "frames": kinds}, sort_keys=True))


def main(argv):
    if len(argv) == 4 and argv[1] == "sink":
        sink(int(argv[2]), argv[3])
    elif len(argv) == 7 and argv[1] == "send":
        send(argv[2], argv[3], int(argv[4]), int(argv[5]), int(argv[6]))
    elif len(argv) == 3 and argv[1] == "expect":
        expect(argv[2])
    elif len(argv) == 4 and argv[1] == "pcap":
        pcap(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
