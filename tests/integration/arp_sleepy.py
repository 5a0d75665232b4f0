#!/usr/bin/python3
"""A sleeping Wi-Fi device, for arpd's tests: the kernel's ARP is off on the
interface (ip link set IF arp off) and this answers ARP requests for IP on a
packet socket instead. A request arriving long after the previous one (the
device was asleep) is ignored; later ones are answered after a delay.

usage: arp_sleepy.py IF IP [DELAY_MS=300] [ASLEEP_AFTER_MS=1000]
"""
import select
import socket
import struct
import sys
import time

ifname, ip = sys.argv[1], socket.inet_aton(sys.argv[2])
delay = (int(sys.argv[3]) if len(sys.argv) > 3 else 300) / 1000.0
asleep_after = (int(sys.argv[4]) if len(sys.argv) > 4 else 1000) / 1000.0

s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
s.bind((ifname, 0x0806))
mymac = s.getsockname()[4][:6]
last = -1e9
pending = []   # (due, frame)
while True:
    now = time.monotonic()
    while pending and pending[0][0] <= now:
        s.send(pending.pop(0)[1])
    timeout = max(0.0, pending[0][0] - now) if pending else None
    r, _, _ = select.select([s], [], [], timeout)
    if not r:
        continue
    f = s.recv(2048)
    if len(f) < 42 or f[12:14] != b"\x08\x06":
        continue
    op = struct.unpack("!H", f[20:22])[0]
    sha, spa, tpa = f[22:28], f[28:32], f[38:42]
    if op != 1 or tpa != ip or sha == mymac:
        continue
    now = time.monotonic()
    woke = now - last <= asleep_after
    last = now
    if not woke:
        continue       # asleep: this request only wakes it up
    reply = (sha + mymac + b"\x08\x06" + struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2)
             + mymac + ip + sha + spa)
    pending.append((now + delay, reply))
    pending.sort()
