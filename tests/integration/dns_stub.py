#!/usr/bin/python3
"""A minimal DNS server for the tests: answers every A query with
127.0.0.1 and every other query with an empty NOERROR, on 127.0.0.1:53 (UDP)
of the namespace it runs in. Logs each query name to --log."""
import socket
import struct
import sys


def main():
    log = sys.argv[sys.argv.index("--log") + 1]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 53))
    while True:
        q, peer = s.recvfrom(512)
        if len(q) < 12:
            continue
        qid, _, qd = struct.unpack(">HHH", q[:6])
        i, labels = 12, []
        while i < len(q) and q[i] != 0:
            labels.append(q[i + 1:i + 1 + q[i]].decode("ascii", "replace"))
            i += 1 + q[i]
        qtype = struct.unpack(">H", q[i + 1:i + 3])[0]
        question = q[12:i + 5]
        with open(log, "a") as f:
            f.write("%s %d\n" % (".".join(labels), qtype))
        an = b""
        if qtype == 1:
            an = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + socket.inet_aton("127.0.0.1")
        hdr = struct.pack(">HHHHHH", qid, 0x8180, 1, 1 if an else 0, 0, 0)
        s.sendto(hdr + question + an, peer)


if __name__ == "__main__":
    main()
