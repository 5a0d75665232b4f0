#!/usr/bin/python3
"""Read the reporter's JSON Lines output (one snapshot per line) for the
integration tests. Standard library only; run with /usr/bin/python3.

  snapshots.py count FILE
  snapshots.py helper FILE ROLE FIELD       field of the last snapshot's agent.helpers.ROLE
  snapshots.py field FILE DOTTED.PATH       any field of the last snapshot
  snapshots.py check FILE SERVER_ID [FROM]  envelope of every snapshot (from line FROM, 1-based)
  snapshots.py cadence FILE CYCLE FROM      no gap > 1.5 cycles from line FROM on, the last one
                                            recent, and one snapshot per cycle on average
  snapshots.py monotonic FILE               capture totals and device totals never go down

Exit 0 when the check holds, 1 with one line on stderr naming what is wrong.
"""
import datetime
import json
import re
import sys

TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


def fail(msg):
    print("snapshots.py: " + msg, file=sys.stderr)
    sys.exit(1)


def load(path, first=1):
    """Every complete line from line `first` on; a torn last line (being
    written right now) is left out."""
    with open(path, "rb") as f:
        data = f.read()
    lines = data.split(b"\n")
    lines.pop()  # after the last "\n": empty, or a line not yet complete
    snaps = []
    for no, raw in enumerate(lines, 1):
        if no < first:
            continue
        try:
            snaps.append((no, json.loads(raw)))
        except ValueError as e:
            fail("%s:%d: not JSON (%s): %r" % (path, no, e, raw[:80]))
    return snaps


def last(path):
    snaps = load(path)
    if not snaps:
        fail("%s: no snapshot yet" % path)
    return snaps[-1][1]


def parse_time(s):
    if not isinstance(s, str) or not TIME_RE.match(s):
        raise ValueError("not ISO 8601 UTC with milliseconds: %r" % (s,))
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc)


def dig(obj, dotted):
    for part in dotted.split("."):
        if not isinstance(obj, dict) or part not in obj:
            raise KeyError(dotted)
        obj = obj[part]
    return obj


def show(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return v if isinstance(v, str) else json.dumps(v)


def cmd_count(path):
    print(len(load(path)))


def cmd_helper(path, role, field):
    try:
        print(show(dig(last(path), "agent.helpers.%s.%s" % (role, field))))
    except KeyError:
        print("")


def cmd_field(path, dotted):
    try:
        print(show(dig(last(path), dotted)))
    except KeyError:
        print("")


def check_envelope(no, s, server_id):
    where = "line %d" % no
    if s.get("messageType") != "realtimeSnapshot":
        fail("%s: messageType is %r" % (where, s.get("messageType")))
    if s.get("serverId") != server_id:
        fail("%s: serverId is %r, want %r" % (where, s.get("serverId"), server_id))
    if not isinstance(s.get("snapshotId"), str) or not UUID_RE.match(s["snapshotId"]):
        fail("%s: snapshotId is not a version 4 UUID: %r" % (where, s.get("snapshotId")))
    try:
        t = parse_time(s.get("snapshotTime"))
        net = s["network"]
        start = parse_time(net["collectionStartTime"])
        end = parse_time(net["collectionEndTime"])
    except (ValueError, KeyError, TypeError) as e:
        fail("%s: %s" % (where, e))
    if not start <= end == t:
        fail("%s: collection window %s..%s does not end at snapshotTime %s"
             % (where, start, end, t))
    if not isinstance(net.get("interfaces"), list) or \
       not isinstance(net.get("connectedDevices"), list):
        fail("%s: network.interfaces / network.connectedDevices are not arrays" % where)
    helpers = s.get("agent", {}).get("helpers")
    if not isinstance(helpers, dict):
        fail("%s: no agent.helpers object" % where)
    for role in ("capd", "arpd", "sysd"):
        h = helpers.get(role)
        if not isinstance(h, dict) or h.get("state") not in \
           ("connected", "missing", "never-connected"):
            fail("%s: agent.helpers.%s has no valid state: %r" % (where, role, h))
    return t


def cmd_check(path, server_id, first="1"):
    snaps = load(path, int(first))
    if not snaps:
        fail("%s: no snapshot from line %s on" % (path, first))
    ids = set()
    now = datetime.datetime.now(datetime.timezone.utc)
    for no, s in snaps:
        t = check_envelope(no, s, server_id)
        if s["snapshotId"] in ids:
            fail("line %d: snapshotId %s repeats" % (no, s["snapshotId"]))
        ids.add(s["snapshotId"])
        if abs((now - t).total_seconds()) > 3600:
            fail("line %d: snapshotTime %s is not about now" % (no, s["snapshotTime"]))
    print("%d snapshots, envelope ok" % len(snaps))


def cmd_cadence(path, cycle, first):
    cycle = float(cycle)
    snaps = load(path, int(first))
    if len(snaps) < 2:
        fail("fewer than 2 snapshots from line %s on" % first)
    times = [(no, parse_time(s["snapshotTime"])) for no, s in snaps]
    worst = 0.0
    for (n0, t0), (n1, t1) in zip(times, times[1:]):
        gap = (t1 - t0).total_seconds()
        worst = max(worst, gap)
        if gap > 1.5 * cycle:
            fail("gap of %.3f s between lines %d and %d (cycle %g s)" % (gap, n0, n1, cycle))
        if gap <= 0:
            fail("snapshotTime does not advance between lines %d and %d" % (n0, n1))
    span = (times[-1][1] - times[0][1]).total_seconds()
    if len(times) - 1 < span / cycle - 1:
        fail("%d snapshots over %.1f s: fewer than one per cycle" % (len(times), span))
    age = (datetime.datetime.now(datetime.timezone.utc) - times[-1][1]).total_seconds()
    if age > 1.5 * cycle + 0.5:
        fail("the newest snapshot is %.1f s old: the reporter stopped emitting" % age)
    print("%d snapshots over %.1f s, largest gap %.3f s" % (len(times), span, worst))


def cmd_monotonic(path):
    prev_cap = {}
    prev_dev = {}
    snaps = load(path)
    for no, s in snaps:
        cap = s.get("network", {}).get("capture", {})
        for k in ("packets", "bytes", "psRecv", "psDrop", "psIfdrop"):
            if k in cap:
                if cap[k] < prev_cap.get(k, 0):
                    fail("line %d: capture.%s went down from %d to %d"
                         % (no, k, prev_cap[k], cap[k]))
                prev_cap[k] = cap[k]
        for d in s.get("network", {}).get("connectedDevices", []):
            bw = d.get("bandwidth", {})
            for k in ("rxBytesTotal", "txBytesTotal"):
                key = (d.get("ip"), k)
                if key in prev_dev and bw.get(k, 0) < prev_dev[key]:
                    fail("line %d: %s %s went down from %d to %d"
                         % (no, d.get("ip"), k, prev_dev[key], bw.get(k, 0)))
                prev_dev[key] = bw.get(k, 0)
    print("%d snapshots, counters never go down (capture.packets %s)"
          % (len(snaps), prev_cap.get("packets")))


COMMANDS = {
    "count": (cmd_count, 1, 1),
    "helper": (cmd_helper, 3, 3),
    "field": (cmd_field, 2, 2),
    "check": (cmd_check, 2, 3),
    "cadence": (cmd_cadence, 3, 3),
    "monotonic": (cmd_monotonic, 1, 1),
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        fail("usage: snapshots.py {%s} FILE ..." % ",".join(sorted(COMMANDS)))
    fn, lo, hi = COMMANDS[sys.argv[1]]
    args = sys.argv[2:]
    if not lo <= len(args) <= hi:
        fail("%s takes %d to %d arguments" % (sys.argv[1], lo, hi))
    fn(*args)
