#!/usr/bin/python3
"""The demo LAN's traffic, from one process: for each flow it enters the
sending and receiving hosts' network namespaces (os.setns) just long enough to
open a socket there; a socket keeps the namespace it was made in, so a single
select loop then drives every flow. Also answers reverse DNS (PTR) for the
LAN on the gateway, so devices can have names.

  traffic.py PLAN.json

PLAN: {"flows": [{"kind": "udp"|"tcp", "src": NS, "dst": NS, "dst_ip": IP,
                  "port": N, "rate": BYTES_PER_S, "back": BYTES_PER_S}],
       "dns": {"ns": NS, "ip": IP, "names": {"198.18.0.11": "name", ...}}}
A flow whose namespace does not exist yet (a host that joins late) is retried
every second; one whose host left stops quietly. Standard library only.
"""
import ctypes
import json
import os
import selectors
import socket
import struct
import sys
import time

TICK = 0.05
CHUNK = b"netmon-demo " * 100  # 1200 bytes, under the MTU


CLONE_NEWNET = 0x40000000
_libc = ctypes.CDLL(None, use_errno=True)


def setns(fd):
    # os.setns arrived in Python 3.12; Debian 12 has 3.11
    if _libc.setns(fd, CLONE_NEWNET) != 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))


def in_netns(name, fn):
    """Run fn() inside /run/netns/NAME, then come back."""
    with open("/proc/self/ns/net") as home, open("/run/netns/" + name) as target:
        setns(target.fileno())
        try:
            return fn()
        finally:
            setns(home.fileno())


class Flow:
    def __init__(self, spec, sel):
        self.spec = spec
        self.sel = sel
        self.tx = None        # socket in src that sends `rate`
        self.rx = None        # socket in dst (listener for tcp)
        self.peer = None      # accepted tcp socket in dst, sends `back`
        self.credit = 0.0
        self.credit_back = 0.0
        self.next_try = 0.0

    def ready(self):
        return self.tx is not None

    def open(self, now):
        if self.ready() or now < self.next_try:
            return
        self.next_try = now + 1.0
        s = self.spec
        try:
            if s["kind"] == "udp":
                rx = in_netns(s["dst"], lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
                rx.bind((s["dst_ip"], s["port"]))
                rx.setblocking(False)
                tx = in_netns(s["src"], lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
                tx.setblocking(False)
                self.rx, self.tx = rx, tx
                self.sel.register(rx, selectors.EVENT_READ, self)
            else:
                if self.rx is None:
                    lst = in_netns(s["dst"], lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM))
                    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    lst.bind((s["dst_ip"], s["port"]))
                    lst.listen(4)
                    lst.setblocking(False)
                    self.rx = lst
                    self.sel.register(lst, selectors.EVENT_READ, self)
                tx = in_netns(s["src"], lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM))
                tx.setblocking(False)
                try:
                    tx.connect((s["dst_ip"], s["port"]))
                except BlockingIOError:
                    pass
                self.tx = tx
                self.sel.register(tx, selectors.EVENT_READ, self)
        except OSError:
            self.close_tx()  # not there yet (late joiner) or unreachable: retry

    def close_tx(self):
        for attr in ("tx", "peer"):
            sock = getattr(self, attr)
            if sock is not None:
                try:
                    self.sel.unregister(sock)
                except (KeyError, ValueError):
                    pass
                sock.close()
                setattr(self, attr, None)

    def readable(self, sock):
        try:
            if sock is self.rx and self.spec["kind"] == "tcp":
                conn, _ = sock.accept()
                conn.setblocking(False)
                if self.peer is not None:
                    self.sel.unregister(self.peer)
                    self.peer.close()
                self.peer = conn
                self.sel.register(conn, selectors.EVENT_READ, self)
                return
            data = sock.recv(65536)
            if not data and self.spec["kind"] == "tcp":
                self.close_tx()
        except OSError:
            if sock is self.tx or sock is self.peer:
                self.close_tx()

    def pump(self, dt):
        s = self.spec
        if self.tx is None:
            return
        self.credit = min(self.credit + s["rate"] * dt, s["rate"])
        self.credit_back = min(self.credit_back + s.get("back", 0) * dt, max(s.get("back", 0), 1))
        try:
            while self.credit >= len(CHUNK):
                if s["kind"] == "udp":
                    self.tx.sendto(CHUNK, (s["dst_ip"], s["port"]))
                else:
                    self.tx.send(CHUNK)
                self.credit -= len(CHUNK)
            if self.peer is not None:
                while self.credit_back >= len(CHUNK):
                    self.peer.send(CHUNK)
                    self.credit_back -= len(CHUNK)
        except BlockingIOError:
            pass
        except OSError:
            self.close_tx()  # the host left, or its peer did: reopen later


class PtrServer:
    """Reverse DNS for the demo LAN: answers PTR queries for known addresses."""

    def __init__(self, spec, sel):
        self.names = spec["names"]
        self.sock = in_netns(spec["ns"], lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
        self.sock.bind((spec["ip"], 53))
        self.sock.setblocking(False)
        sel.register(self.sock, selectors.EVENT_READ, self)

    def readable(self, sock):
        try:
            query, addr = sock.recvfrom(512)
        except OSError:
            return
        reply = self.answer(query)
        if reply:
            try:
                sock.sendto(reply, addr)
            except OSError:
                pass

    def answer(self, q):
        if len(q) < 12:
            return None
        qid, flags, qd = struct.unpack("!HHH", q[:6])
        if flags & 0x8000 or qd != 1:
            return None
        labels, i = [], 12
        while i < len(q) and q[i] != 0:
            n = q[i]
            if n > 63 or i + 1 + n > len(q):
                return None
            labels.append(q[i + 1:i + 1 + n].decode("ascii", "replace"))
            i += 1 + n
        if i + 5 > len(q):
            return None
        qtype, qclass = struct.unpack("!HH", q[i + 1:i + 5])
        question = q[12:i + 5]
        name = None
        if qtype == 12 and len(labels) == 6 and labels[4:] == ["in-addr", "arpa"]:
            name = self.names.get(".".join(reversed(labels[:4])))
        rcode = 0 if name else 3
        header = struct.pack("!HHHHHH", qid, 0x8400 | rcode | (flags & 0x0100), 1, 1 if name else 0, 0, 0)
        if not name:
            return header + question
        rdata = b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) + b"\0"
        answer = b"\xc0\x0c" + struct.pack("!HHIH", 12, 1, 60, len(rdata)) + rdata
        return header + question + answer


def main():
    with open(sys.argv[1]) as f:
        plan = json.load(f)
    sel = selectors.DefaultSelector()
    flows = [Flow(spec, sel) for spec in plan["flows"]]
    if plan.get("dns"):
        PtrServer(plan["dns"], sel)
    last = time.monotonic()
    while True:
        now = time.monotonic()
        for fl in flows:
            fl.open(now)
            fl.pump(now - last)
        last = now
        for key, _ in sel.select(TICK):
            key.data.readable(key.fileobj)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass
