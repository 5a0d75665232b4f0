#!/usr/bin/python3
"""Follow the reporter's JSON Lines output and print one readable table per
snapshot: the host (CPU, memory, interface rates), the agent (helpers,
capture, delivery) and every device (IP, MAC, vendor, name, rx/tx rates,
status). A field the snapshot does not carry (yet) shows as "-".

  table.py SNAPSHOTS.jsonl CYCLES [--received DIR] [--note TEXT] [--timeout S]
           [--save FILE]   (each table also appended to FILE)

Exits 0 after CYCLES snapshots, 1 when none arrives for --timeout seconds.
"""
import argparse
import ipaddress
import json
import os
import sys
import time

DASH = "-"


def dig(obj, *path):
    for p in path:
        if isinstance(obj, dict) and p in obj:
            obj = obj[p]
        elif isinstance(obj, list) and isinstance(p, int) and -len(obj) <= p < len(obj):
            obj = obj[p]
        else:
            return None
    return obj


def rate(bps):
    if not isinstance(bps, (int, float)):
        return DASH
    for unit, div in (("Gbit/s", 1e9), ("Mbit/s", 1e6), ("kbit/s", 1e3)):
        if bps >= div:
            return "%.1f %s" % (bps / div, unit)
    return "%d bit/s" % bps


def pct(v):
    return "%.1f%%" % v if isinstance(v, (int, float)) else DASH


def text(v, width):
    s = DASH if v in (None, "") else str(v)
    return s if len(s) <= width else s[:width - 1] + "…"


def ip_key(d):
    try:
        a = ipaddress.ip_address(d.get("ip", ""))
        return (a.version, int(a))
    except ValueError:
        return (9, 0)


def vendor_of(d):
    for k in ("vendor", "macVendor", "manufacturer"):
        if d.get(k):
            return d[k]
    return None


def delivery_line(s, received_dir, note):
    parts = []
    dl = dig(s, "agent", "delivery") or dig(s, "agent", "outputs") or dig(s, "delivery")
    if isinstance(dl, dict):
        for k, v in sorted(dl.items()):
            if isinstance(v, (str, int, float, bool)):
                parts.append("%s=%s" % (k, v))
            elif isinstance(v, dict):
                inner = ",".join("%s=%s" % (ik, iv) for ik, iv in sorted(v.items())
                                 if isinstance(iv, (str, int, float, bool)))
                parts.append("%s{%s}" % (k, inner))
    elif isinstance(dl, list):
        for o in dl:
            if isinstance(o, dict):
                parts.append(",".join("%s=%s" % (k, v) for k, v in sorted(o.items())
                                      if isinstance(v, (str, int, float, bool))))
    if received_dir:
        try:
            with open(os.path.join(received_dir, "count")) as f:
                got = f.read().split()[0]
        except (OSError, IndexError):
            got = "0"
        parts.append("receiver got %s" % got)
    if note:
        parts.append(note)
    return " · ".join(parts) if parts else DASH


def render(s, n, cycles, received_dir, note):
    out = []
    when = s.get("snapshotTime", DASH)
    out.append("━━ snapshot %d/%d · %s · server %s " % (n, cycles, when, s.get("serverId", DASH)))
    m = s.get("metrics") or {}
    out.append("host      cpu %s   memory %s used   uptime %s s" % (
        pct(dig(m, "cpu", "percent")), pct(dig(m, "memory", "percentUsed")),
        dig(m, "uptimeSeconds") if dig(m, "uptimeSeconds") is not None else DASH))
    ifaces = dig(s, "network", "interfaces") or []
    if ifaces:
        for i in ifaces:
            out.append("interface %-10s rx %-12s tx %-12s link %s" % (
                text(i.get("interfaceName"), 10), rate(i.get("rxRateBps")), rate(i.get("txRateBps")),
                "%s Mbit/s" % i["linkSpeedMbps"] if i.get("linkSpeedMbps") else DASH))
    else:
        out.append("interface -")
    helpers = dig(s, "agent", "helpers") or {}
    out.append("helpers   " + "   ".join("%s %s" % (r, text(dig(helpers, r, "state"), 16))
                                         for r in ("capd", "arpd", "sysd")))
    cap = dig(s, "network", "capture") or {}
    out.append("capture   %s packets, %s dropped by the kernel, %s by the interface" % (
        cap.get("packets", DASH), cap.get("psDrop", DASH), cap.get("psIfdrop", DASH)))
    out.append("delivery  " + delivery_line(s, received_dir, note))
    devs = sorted(dig(s, "network", "connectedDevices") or [], key=ip_key)
    out.append("")
    hdr = "%-15s %-17s %-22s %-22s %12s %12s  %s" % (
        "DEVICE IP", "MAC", "VENDOR", "NAME", "RX", "TX", "STATUS")
    out.append(hdr)
    out.append("─" * len(hdr))
    for d in devs:
        bw = d.get("bandwidth") or {}
        out.append("%-15s %-17s %-22s %-22s %12s %12s  %s" % (
            text(d.get("ip"), 15), text(d.get("mac"), 17), text(vendor_of(d), 22),
            text(d.get("deviceName"), 22), rate(bw.get("rxRateBps")), rate(bw.get("txRateBps")),
            text(d.get("status"), 10)))
    if not devs:
        out.append("(no devices yet)")
    out.append("")
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("snapshots")
    ap.add_argument("cycles", type=int)
    ap.add_argument("--received")
    ap.add_argument("--note")
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--save")
    a = ap.parse_args()
    save = open(a.save, "a") if a.save else None
    pos, buf, shown = 0, b"", 0
    last_new = time.monotonic()
    while shown < a.cycles:
        try:
            with open(a.snapshots, "rb") as f:
                f.seek(pos)
                chunk = f.read()
        except FileNotFoundError:
            chunk = b""
        pos += len(chunk)
        buf += chunk
        while b"\n" in buf and shown < a.cycles:
            line, buf = buf.split(b"\n", 1)
            try:
                snap = json.loads(line)
            except ValueError:
                print("(a line that is not JSON: %r)" % line[:60])
                continue
            shown += 1
            last_new = time.monotonic()
            table = render(snap, shown, a.cycles, a.received, a.note)
            print(table, flush=True)
            if save:
                save.write(table + "\n")
                save.flush()
        if shown >= a.cycles:
            break
        if time.monotonic() - last_new > a.timeout:
            print("demo: no snapshot for %.0f s: the reporter is not emitting" % a.timeout,
                  file=sys.stderr)
            return 1
        time.sleep(0.2)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
