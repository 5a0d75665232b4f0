#!/usr/bin/python3
"""Compare `netmon-sysd --once --dump` with psutil read at the same moment.

Usage: compare_psutil.py SYSD_BINARY INTERVAL_SECONDS
Run it inside the test's own network namespace (t_sysd_psutil.sh does), so
that every interface it compares belongs to the test. Prints one line per
comparison; exit 0 when all hold, 1 otherwise.

Tolerances, and why (docs/sysd.md repeats them):
  cpu percent     |sysd - psutil| <= 3 points. Both read /proc/stat; the
                  windows differ only by sysd's start-up and exit (a few ms of
                  a 2 s window), under a steady load the test makes.
  memory total    exact (MemTotal does not change).
  memory avail/used  within max(64 MiB, 1 % of total): the two reads are
                  milliseconds apart on a machine where other processes
                  allocate and free memory meanwhile.
  disk total      exact (f_blocks x f_frsize, both).
  disk used/free  within max(64 MiB, 0.1 % of total): writes by other
                  processes between the two statvfs calls.
  uptime          within 2 s: psutil derives it from btime (whole seconds)
                  and the wall clock; sysd reads /proc/uptime (monotonic).
  interface bytes exact: the test stops its traffic first, and nothing else
                  sends in its namespace.
"""
import json
import os
import subprocess
import sys
import time

import psutil

MiB = 1 << 20
failures = 0


def check(what, ok, detail):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ": " + detail)
    if not ok:
        failures += 1


def main(argv):
    sysd, interval = argv[1], argv[2]
    psutil.cpu_percent(interval=None)            # psutil's window starts here...
    t0 = time.monotonic()
    out = subprocess.run([sysd, "--once", "--dump", "--interval", interval],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60, check=False)
    cpu_ps = psutil.cpu_percent(interval=None)   # ...and ends here
    vm = psutil.virtual_memory()
    nics = psutil.net_io_counters(pernic=True)
    boot = psutil.boot_time()
    now = time.time()
    parts = [(p, psutil.disk_usage(p.mountpoint)) for p in psutil.disk_partitions(all=False)]
    window = time.monotonic() - t0
    if out.returncode != 0:
        print(out.stderr.decode(errors="replace"), file=sys.stderr)
        check("netmon-sysd exit status", False, str(out.returncode))
        return 1
    dump = json.loads(out.stdout)
    m = dump["metrics"]

    cpu = m["cpu"].get("percent")
    check("cpu percent", cpu is not None and abs(cpu - cpu_ps) <= 3.0,
          "sysd %s, psutil %.2f over %.2f s (tolerance 3 points)" % (cpu, cpu_ps, window))

    mem = m["memory"]
    tol = max(64 * MiB, vm.total // 100)
    check("memory total", mem.get("totalBytes") == vm.total,
          "sysd %s, psutil %d" % (mem.get("totalBytes"), vm.total))
    check("memory available", abs(mem.get("freeBytes", -10**18) - vm.available) <= tol,
          "sysd %s, psutil %d (tolerance %d)" % (mem.get("freeBytes"), vm.available, tol))
    check("memory used", abs(mem.get("usedBytes", -10**18) - vm.used) <= tol,
          "sysd %s, psutil %d (tolerance %d)" % (mem.get("usedBytes"), vm.used, tol))

    disks = {d["mount"]: d for d in m["disk"]}
    dev_of = {}
    for mount in disks:
        try:
            dev_of[os.stat(mount).st_dev] = mount
        except OSError:
            pass
    check("disks listed", len(parts) > 0 and len(disks) > 0,
          "psutil %d partitions, sysd %d file systems" % (len(parts), len(disks)))
    for p, u in parts:
        d = disks.get(p.mountpoint)
        how = "same mount point"
        if d is None:
            # a bind mount of a device sysd lists once (docs/sysd.md, the rule)
            try:
                d = disks.get(dev_of.get(os.stat(p.mountpoint).st_dev))
            except OSError:
                d = None
            how = "bind mount of %s" % (d["mount"] if d else "?")
        if d is None:
            check("disk " + p.mountpoint, False, "psutil lists it (%s), sysd does not" % p.fstype)
            continue
        tol = max(64 * MiB, u.total // 1000)
        ok = (d["totalBytes"] == u.total and abs(d["usedBytes"] - u.used) <= tol and
              abs(d["freeBytes"] - u.free) <= tol)
        check("disk " + p.mountpoint, ok,
              "%s: total %d/%d, used %d/%d, free %d/%d (sysd/psutil, tolerance %d)" %
              (how, d["totalBytes"], u.total, d["usedBytes"], u.used, d["freeBytes"], u.free, tol))

    up_ps = now - boot
    up = m.get("uptimeSeconds")
    check("uptime", up is not None and abs(up - up_ps) <= 2.0,
          "sysd %s, psutil %.1f (tolerance 2 s)" % (up, up_ps))

    ifs = {i["interfaceName"]: i for i in dump["interfaces"]}
    check("interfaces", set(ifs) == set(nics),
          "sysd %s, psutil %s" % (sorted(ifs), sorted(nics)))
    for name, c in sorted(nics.items()):
        i = ifs.get(name)
        ok = i is not None and i["rxBytesTotal"] == c.bytes_recv and i["txBytesTotal"] == c.bytes_sent
        check("interface " + name, ok, "rx %s/%d tx %s/%d (sysd/psutil, exact)" %
              (i and i["rxBytesTotal"], c.bytes_recv, i and i["txBytesTotal"], c.bytes_sent))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
