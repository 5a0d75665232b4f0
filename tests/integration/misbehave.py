#!/usr/bin/python3
"""A helper that says a valid HELLO and then lies, for t_reporter_misbehave.sh.
Records are encoded here from docs/protocol.md (header and HELLO from
wire_client.py), independently of common/wire.c; every record is well formed,
only its values are impossible.

  misbehave.py SOCKET capd-lies     capd's impossible values (below), then a
                                    heartbeat a second until SIGTERM
  misbehave.py SOCKET arpd-lies     arpd's impossible values, then the same
  misbehave.py SOCKET capd-flood S  S seconds of CAP_DEVICES as fast as the socket
                                    takes them (1023 new keys each, every 8th record
                                    full of impossible entries); prints the count
  misbehave.py SOCKET arpd-flood S  S seconds of ARP_DEVICES parts of generations
                                    that never complete (each ~64 KiB)

What capd-lies leaves, if the reporter refuses what it must (t_reporter_misbehave.sh
checks it): see EXPECT_CAPD; arpd-lies: see the ARP_* constants.
"""
import os
import random
import signal
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_client import record, ROLES, VERSION  # noqa: E402

HELLO, HEARTBEAT, CAP_STATS, CAP_DEVICES = 1, 2, 3, 4
ARP_STATS, ARP_DEVICES, ARP_EVENTS = 32, 33, 34
MAX = (1 << 63) - 1
KIND_MAC, KIND_V4 = 1, 2
NET = "198.18.0."

# per address: (rxBytes, txBytes, rxPackets, txPackets) the payload must show,
# None: must not be listed
EXPECT_CAPD = {
    NET + "10": (10000, 5000, 100, 50),   # then a record going backwards
    NET + "11": (1000, 0, 10, 0),         # then 2^62 bytes more in no time
    NET + "12": None,                     # more frames than bytes
    NET + "13": (100, 0, 1, 0),           # then an older creation serial
    NET + "14": (100, 0, 1, 0),           # twice in every record, two serials
    NET + "15": (MAX, MAX, 21, 21),       # 2^63-1 from a new serial in each of 21 records
    "203.0.113.5": None,                  # outside [agent] networks (198.18.0.0/16)
}
CAP_STATS_EXPECT = (1000, 64000)          # packets, bytes; then backwards, then frames > bytes
FUTURE_NS = 4 * 10**18                    # a HELLO start time in 2096


class Peer:
    def __init__(self, path, role, start_ns=None):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.s.settimeout(10)
        self.s.connect(path)
        self.seq = 0
        self.t0 = time.monotonic()
        start_ns = time.time_ns() if start_ns is None else start_ns
        instance = int.from_bytes(os.urandom(8), "big") | 1
        self.send(HELLO, struct.pack(">BBHIQQ", ROLES[role], VERSION, 0, os.getpid(),
                                     instance, start_ns))

    def send(self, rtype, payload):
        self.seq += 1
        self.s.send(record(rtype, self.seq, payload))

    def heartbeat(self, uptime_ms=None):
        if uptime_ms is None:
            uptime_ms = int((time.monotonic() - self.t0) * 1000) + 30000
        self.send(HEARTBEAT, struct.pack(">QQ", uptime_ms, 0))


def dev(kind, addr, created, rxb, txb, rxp, txp):
    return struct.pack(">B7x16sQQQQQ", kind, addr.ljust(16, b"\0"), created, rxb, txb, rxp, txp)


def v4(last):
    return bytes([198, 18, 0, last])


def cap_devices(entries):
    return struct.pack(">II", len(entries), 0) + b"".join(entries)


def cap_stats(packets, nbytes):
    return struct.pack(">QQQQQQII", packets, nbytes, packets, 0, 0, 0, 10, 4096)


def capd_lies(path):
    p = Peer(path, "capd", start_ns=FUTURE_NS)
    p.heartbeat(20000)
    p.heartbeat(5000)                      # uptime going backwards
    p.send(CAP_STATS, cap_stats(*CAP_STATS_EXPECT))
    p.send(CAP_STATS, cap_stats(500, 32000))       # backwards
    p.send(CAP_STATS, cap_stats(3000, 2000))       # more frames than bytes
    bcast = b"\xff" * 6
    p.send(CAP_DEVICES, cap_devices([
        dev(KIND_V4, v4(10), 1, 10000, 5000, 100, 50),
        dev(KIND_V4, v4(11), 2, 1000, 0, 10, 0),
        dev(KIND_V4, v4(13), 5, 100, 0, 1, 0),
        dev(KIND_V4, v4(14), 7, 100, 0, 1, 0),
        dev(KIND_V4, v4(14), 8, 100, 0, 1, 0),
        dev(KIND_V4, v4(15), 100, MAX, MAX, 1, 1),
    ]))
    for i in range(20):
        p.send(CAP_DEVICES, cap_devices([
            dev(KIND_V4, v4(10), 1, 5000, 5000, 50, 50),
            dev(KIND_V4, v4(11), 2, 1000 + (1 << 62), 0, 11, 0),
            dev(KIND_V4, v4(12), 3, 10, 0, 11, 0),
            dev(KIND_V4, v4(13), 3, 50, 0, 1, 0),
            dev(KIND_V4, v4(14), 7, 100, 0, 1, 0),
            dev(KIND_V4, v4(14), 8, 100, 0, 1, 0),
            dev(KIND_V4, v4(15), 101 + i, MAX, MAX, 1, 1),
            dev(KIND_MAC, bcast, 4, 60, 0, 1, 0),
            dev(KIND_V4, bytes([203, 0, 113, 5]), 9, 60, 60, 1, 1),
        ]))
    print("lies sent", flush=True)
    idle(p)


ARP_MACS_OK = ["02:00:00:00:00:21", "02:00:00:00:00:24"]   # must be listed, once each
ARP_DUP_IP = NET + "23"     # the second entry of 02:..:21: must not be listed
ARP_ZERO_IP = NET + "22"    # the zero MAC's address: must not be listed
ARP_EXTRA = 30              # devices beyond those: the reporter keeps max_devices


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def arp_dev(m, ip_last, first_ms, last_ms):
    return struct.pack(">6sBBBBQQ", m, 0x01 | 0x04, 1, 0, 0, first_ms, last_ms) + \
        v4(ip_last) + struct.pack(">H", 0)


def arp_devices(gen, part, parts, entries):
    return struct.pack(">QHHHH", gen, part, parts, len(entries), 0) + b"".join(entries)


def arpd_lies(path):
    p = Peer(path, "arpd")
    now = int(time.time() * 1000)
    p.send(ARP_STATS, struct.pack(">QQQQQQQQIIII", 100, 50, 0, 0, 0, 0, 1, 1, 16, 16, 10, 253))
    entries = [
        arp_dev(mac(ARP_MACS_OK[0]), 21, now - 5000, now - 1000),
        arp_dev(b"\0" * 6, 22, now - 5000, now - 1000),
        arp_dev(mac(ARP_MACS_OK[0]), 23, now - 5000, now - 1000),
        # seen from 2^61 ms to 2^62 ms: times in the future (year 73 million)
        arp_dev(mac(ARP_MACS_OK[1]), 24, 1 << 61, 1 << 62),
    ]
    for i in range(ARP_EXTRA):
        entries.append(arp_dev(bytes([2, 0, 0, 0, 1, i]), 100 + i, now - 5000, now - 1000))
    p.send(ARP_DEVICES, arp_devices(1, 0, 1, entries))
    # an event in the future
    p.send(ARP_EVENTS, struct.pack(">HH", 1, 0) + struct.pack(
        ">B3x4s6s6sIQ", 1, v4(21), mac("02:00:00:00:00:99"), mac(ARP_MACS_OK[0]), 1, 1 << 62))
    # generation 2 starts, then a part of generation 3 comes where part 1 of 2 was due
    p.send(ARP_DEVICES, arp_devices(2, 0, 2, entries[:1]))
    p.send(ARP_DEVICES, arp_devices(3, 1, 2, entries[:1]))
    print("lies sent", flush=True)
    idle(p)


def idle(p):
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        p.heartbeat()
        time.sleep(0.5)


def capd_flood(path, seconds):
    p = Peer(path, "capd")
    rnd = random.Random(os.getpid())
    end = time.monotonic() + seconds
    n = 0
    created = 1
    while time.monotonic() < end:
        if n % 8 == 7:
            # every entry impossible: backwards against the key just sent, frames > bytes
            entries = [dev(KIND_V4, bytes([198, 18, 1, k]), 1, 10, 10, 11, 11) for k in range(255)]
        else:
            entries = []
            for _ in range(1023):
                a = bytes([198, 18, rnd.randrange(256), rnd.randrange(256)])
                entries.append(dev(KIND_V4, a, created, 1000, 1000, 10, 10))
                created += 1
        try:
            p.send(CAP_DEVICES, cap_devices(entries))
        except socket.timeout:
            break
        n += 1
        if n % 64 == 0:
            p.heartbeat()
    print("records %d" % n, flush=True)


def arpd_flood(path, seconds):
    p = Peer(path, "arpd")
    now = int(time.time() * 1000)
    entry = arp_dev(mac("02:00:00:00:02:01"), 200, now - 5000, now - 1000)
    per = (65536 - 16 - 16) // len(entry)
    end = time.monotonic() + seconds
    n = 0
    gen = 10
    while time.monotonic() < end:
        # parts 0..N-2 of a generation of 65535 parts: never complete, each full of devices
        try:
            p.send(ARP_DEVICES, arp_devices(gen, n % 1000, 65535, [entry] * per))
        except socket.timeout:
            break
        n += 1
        if n % 1000 == 0:
            gen += 1
        if n % 64 == 0:
            p.heartbeat()
    print("records %d" % n, flush=True)


def main(argv):
    if len(argv) == 3 and argv[2] == "capd-lies":
        capd_lies(argv[1])
    elif len(argv) == 3 and argv[2] == "arpd-lies":
        arpd_lies(argv[1])
    elif len(argv) == 4 and argv[2] == "capd-flood":
        capd_flood(argv[1], float(argv[3]))
    elif len(argv) == 4 and argv[2] == "arpd-flood":
        arpd_flood(argv[1], float(argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
