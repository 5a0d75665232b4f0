#!/usr/bin/python3
"""For t_hub_quota.sh: hold SILENT connections open on RUN_DIR/arpd.sock that
never say anything, then connect to capd.sock as capd would, say HELLO and
time how long until the reporter's log (LOG) says this capd is connected.

  hub_quota.py RUN_DIR LOG SILENT

Prints "silent N accepted_or_queued M hello_delay_s D". Exit 0 when the HELLO
was taken within 1 s, 1 otherwise (3 when it never was, within 10 s).
"""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wire_client import hello, ROLES  # noqa: E402

run_dir, log, silent_n = sys.argv[1], sys.argv[2], int(sys.argv[3])
silent = []
for _ in range(silent_n):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.setblocking(False)
    try:
        s.connect(os.path.join(run_dir, "arpd.sock"))
    except (BlockingIOError, ConnectionRefusedError, OSError):
        s.close()
        continue
    silent.append(s)
time.sleep(0.3)   # the reporter has taken what it takes of them

t0 = time.monotonic()
capd = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
capd.settimeout(2)
capd.connect(os.path.join(run_dir, "capd.sock"))
capd.send(hello(ROLES["capd"]))
want = "capd connected: pid %d " % os.getpid()
delay = None
while time.monotonic() - t0 < 10:
    with open(log, errors="replace") as f:
        if want in f.read():
            delay = time.monotonic() - t0
            break
    time.sleep(0.02)
print("silent %d connected %d hello_delay_s %s" % (silent_n, len(silent),
      "never" if delay is None else "%.3f" % delay))
sys.exit(3 if delay is None else 0 if delay <= 1.0 else 1)
