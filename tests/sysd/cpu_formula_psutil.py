#!/usr/bin/python3
"""sysd's CPU percent formula against psutil's on the same two /proc/stat
readings (a fixture that changes between sysd's two samples), so the test
discriminates even on a machine whose CPUs are saturated. The second reading
adds user, nice, system, iowait, irq, softirq, steal and guest time in
different amounts: a formula that counted guest twice, or iowait as busy,
or left out steal, gives another number.

Usage: cpu_formula_psutil.py SYSD_BINARY   (exit 0 when they agree)
psutil rounds to one decimal, sysd to two: they must agree within 0.05.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import psutil

A = """cpu  1000 10 500 8000 100 0 50 0 30 0
cpu0 600 5 250 3900 50 0 25 0 30 0
cpu1 400 5 250 4100 50 0 25 0 0 0
btime 1764500000
"""
B = """cpu  1400 30 620 8300 260 17 70 45 130 4
cpu0 900 25 300 3950 200 10 35 40 130 4
cpu1 500 5 320 4350 60 7 35 5 0 0
btime 1764500000
"""


def main(argv):
    sysd = argv[1]
    root = tempfile.mkdtemp(prefix="nmt-cpuf.")
    try:
        src = "tests/sysd/fixtures/basic"
        shutil.copytree(src, root, dirs_exist_ok=True)
        stat = os.path.join(root, "proc", "stat")
        with open(stat, "w") as f:
            f.write(A)
        psutil.PROCFS_PATH = os.path.join(root, "proc")
        psutil.cpu_percent(interval=None)
        psutil.cpu_percent(interval=None, percpu=True)
        p = subprocess.Popen([sysd, "--once", "--dump", "--interval", "1", "--root", root],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.5)
        with open(stat, "r+") as f:      # same inode: sysd re-reads its descriptor
            f.write(B)
            f.truncate()
        out, err = p.communicate(timeout=30)
        if p.returncode != 0:
            print(err.decode(errors="replace"), file=sys.stderr)
            return 1
        want = psutil.cpu_percent(interval=None)
        want_per = psutil.cpu_percent(interval=None, percpu=True)
        cpu = json.loads(out)["metrics"]["cpu"]
        got_per = [c["percent"] for c in cpu["perCpu"]]
        ok = abs(cpu["percent"] - want) <= 0.05 and len(got_per) == len(want_per) and \
            all(abs(g - w) <= 0.05 for g, w in zip(got_per, want_per))
        print(("ok   " if ok else "FAIL ") + "cpu formula on fixture readings: sysd %s %s, psutil %s %s"
              % (cpu["percent"], got_per, want, want_per))
        return 0 if ok else 1
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
