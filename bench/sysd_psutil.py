#!/usr/bin/python3
"""The reference for bench/sysd.sh: psutil collecting what one netmon-sysd
sample holds, in a loop inside one Python process (as the original script
did). Usage: sysd_psutil.py SAMPLES -> "samples N cpu_us_per_sample X ..."."""
import os
import sys
import time

import psutil


def sample():
    psutil.cpu_percent(interval=None)                 # all CPUs
    psutil.cpu_percent(interval=None, percpu=True)    # each CPU
    os.getloadavg()
    psutil.cpu_count()                                # CPUs online
    psutil.virtual_memory()
    psutil.swap_memory()
    for p in psutil.disk_partitions(all=False):
        psutil.disk_usage(p.mountpoint)
    time.time() - psutil.boot_time()                  # uptime
    psutil.net_io_counters(pernic=True)               # bytes, packets, errors, drops
    psutil.net_if_stats()                             # speed, MTU, up/down
    psutil.net_if_addrs()                             # MAC


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    sample()
    c0, w0 = time.process_time(), time.monotonic()
    for _ in range(n):
        sample()
    cpu, wall = time.process_time() - c0, time.monotonic() - w0
    print("samples %d cpu_us_per_sample %.1f wall_us_per_sample %.1f" %
          (n, cpu * 1e6 / n, wall * 1e6 / n))


main()
