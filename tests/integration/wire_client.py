#!/usr/bin/python3
"""A misbehaving helper for t_peer_checks.sh: connects to one of the
reporter's sockets and sends one class of bad input. Records are encoded
here from docs/protocol.md, independently of common/wire.c.

  wire_client.py SOCKET CASE [ROLE]

ROLE is the role of SOCKET (capd, arpd, sysd; default: from the file name).
Prints "pid N" first (the reporter's log line names that pid), then waits up
to 10 s for the reporter to close the connection.
Exit 0: the reporter closed it. 3: still open after 10 s. 4: connect() was
refused (EACCES/ECONNREFUSED, printed). 2: usage.
"""
import os
import socket
import struct
import sys
import time

VERSION = 1
HELLO, HEARTBEAT, CAP_STATS, CAP_DEVICES = 1, 2, 3, 4
ROLES = {"capd": 0, "arpd": 1, "sysd": 2}


def record(rtype, seq, payload, version=VERSION, flags=0, length=None):
    if length is None:
        length = 16 + len(payload)
    return struct.pack(">BBHIQ", version, rtype, flags, length, seq) + payload


def hello_payload(role, instance=None, proto=VERSION, reserved=0):
    if instance is None:
        instance = int.from_bytes(os.urandom(8), "big") | 1
    return struct.pack(">BBHIQQ", role, proto, reserved, os.getpid(), instance,
                       time.time_ns())


def hello(role, seq=1, **kw):
    return record(HELLO, seq, hello_payload(role, **kw))


def heartbeat(seq):
    return record(HEARTBEAT, seq, struct.pack(">QQ", 1000, 0))


def cases(role):
    """Each case: the list of messages to send, in order."""
    other = (role + 1) % 3
    ok = hello(role)
    return {
        # nothing valid at all
        "random": [os.urandom(200)],
        "short": [os.urandom(8)],
        "empty-header": [record(HELLO, 1, b"")],
        # header problems
        "version": [record(HELLO, 1, hello_payload(role), version=2)],
        "length-field": [record(HELLO, 1, hello_payload(role), length=16 + 24 + 4)],
        "flags": [record(HELLO, 1, hello_payload(role), flags=1)],
        "unknown-type": [record(99, 1, b"\0" * 16)],
        "wrong-size": [record(HELLO, 1, hello_payload(role)[:20])],
        "too-long": [record(HELLO, 1, b"\0" * (65536 - 16 + 1))],
        # HELLO problems
        "other-role": [hello(other)],
        "zero-instance": [hello(role, instance=0)],
        "hello-proto": [hello(role, proto=2)],
        "before-hello": [heartbeat(1)],
        "hello-seq2": [hello(role, seq=2)],
        # a good HELLO while the role's helper is connected: refused, the helper stays
        "hello-only": [ok],
        # problems after a good HELLO (run while the role has no live helper)
        "seq-gap": [ok, heartbeat(3)],
        "seq-repeat": [ok, heartbeat(2), heartbeat(2)],
        "second-hello": [ok, hello(role, seq=2)],
        "type-for-role": [ok, record(CAP_STATS, 2, b"\0" * 56)],
        "hb-size": [ok, record(HEARTBEAT, 2, b"\0" * 15)],
        # a peer that never says anything (the reporter's HELLO timeout)
        "silent": [],
    }


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    path, case = sys.argv[1], sys.argv[2]
    name = sys.argv[3] if len(sys.argv) == 4 else os.path.basename(path).split(".")[0]
    if name not in ROLES:
        print("unknown role %r" % name, file=sys.stderr)
        return 2
    table = cases(ROLES[name])
    if case == "list":
        print("\n".join(table))
        return 0
    if case not in table:
        print("unknown case %r (try: list)" % case, file=sys.stderr)
        return 2
    print("pid %d" % os.getpid(), flush=True)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        s.connect(path)
    except OSError as e:
        print("connect: %s" % e.strerror, flush=True)
        return 4
    for msg in table[case]:
        try:
            s.send(msg)
        except OSError as e:
            # the reporter may already have closed us after an earlier message
            print("send: %s" % e.strerror, flush=True)
            return 0
    s.settimeout(10)
    try:
        # the reporter never writes: b"" (EOF) or a reset means it closed us
        data = s.recv(1)
        if data:
            print("the reporter sent data", flush=True)
            return 1
    except socket.timeout:
        print("still connected after 10 s", flush=True)
        return 3
    except OSError as e:
        print("recv: %s" % e.strerror, flush=True)
    print("closed by the reporter", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
