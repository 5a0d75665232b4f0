#!/usr/bin/python3
"""Checks on api_receiver.py's log of an otlp: endpoint (tests/integration/t_deliver_otlp.sh).

  otlp_deliveries.py count LOG                  requests answered 2xx
  otlp_deliveries.py times LOG                  distinct snapshot times delivered (2xx)
  otlp_deliveries.py check LOG OUTDIR SNAPS...
        every snapshot written to the JSON Lines files SNAPS... (the reporter's
        stdout, one per run) was delivered (2xx) exactly once, in order; a
        request is matched to its snapshot by time (every data point's
        timeUnixNano is the snapshot's snapshotTime); every request was a POST
        to /v1/metrics with Content-Type application/json and no Authorization;
        each device's netmon.device.io points equal the payload's
        rx/txBytesTotal. Writes OUTDIR/snaps.jsonl and OUTDIR/otlp.jsonl, the
        pairs, for the strict protobuf decoder (tests/outputs/otlp_check.py).
Exit 0 when the check holds, 1 with one line on stderr.
"""
import calendar
import json
import os
import sys

import deliveries
from deliveries import fail, load, ok, once_in_order

deliveries.PROG = "otlp_deliveries.py"


def iso_ns(s):
    # "YYYY-MM-DDTHH:MM:SS.mmmZ"
    secs = calendar.timegm(tuple(int(x) for x in (s[0:4], s[5:7], s[8:10], s[11:13], s[14:16], s[17:19])) + (0, 0, 0))
    return secs * 10**9 + int(s[20:23]) * 10**6


def metrics(body):
    return body["resourceMetrics"][0]["scopeMetrics"][0]["metrics"]


def points(m):
    return (m.get("sum") or m.get("gauge"))["dataPoints"]


def body_time(body):
    times = {p["timeUnixNano"] for m in metrics(body) for p in points(m)}
    if len(times) != 1:
        fail("a request with %d different point times" % len(times))
    return int(times.pop())


def main(argv):
    cmd, log = argv[1], argv[2]
    recs = load(log)
    if cmd == "count":
        print(len(ok(recs)))
        return 0
    if cmd == "times":
        print(len({body_time(r["body"]) for r in ok(recs) if r["body"]}))
        return 0
    outdir, paths = argv[3], argv[4:]
    made = []
    for p in paths:
        with open(p, "rb") as f:
            made += [json.loads(raw) for raw in f.read().split(b"\n")[:-1]]
    by_time = {iso_ns(s["snapshotTime"]): s for s in made}
    if len(by_time) != len(made):
        fail("two snapshots with the same snapshotTime")
    for r in recs:
        h = r["headers"]
        if r["path"] != "/v1/metrics" or not h.get("content-type", "").startswith("application/json") \
                or "authorization" in h:
            fail("request to %s with headers %r" % (r["path"], h))
        if r["body"] is None:
            fail("a body that is not JSON: %s" % r["bodyError"])
    got = [body_time(r["body"]) for r in ok(recs)]
    once_in_order([iso_ns(s["snapshotTime"]) for s in made], got)
    os.makedirs(outdir, exist_ok=True)
    with open(os.path.join(outdir, "snaps.jsonl"), "w") as fs, \
            open(os.path.join(outdir, "otlp.jsonl"), "w") as fo:
        for r in ok(recs):
            snap = by_time[body_time(r["body"])]
            want, have = {}, {}
            for d in snap["network"]["connectedDevices"]:
                want[(d["ip"], "receive")] = d["bandwidth"]["rxBytesTotal"]
                want[(d["ip"], "transmit")] = d["bandwidth"]["txBytesTotal"]
            for m in metrics(r["body"]):
                if m["name"] != "netmon.device.io":
                    continue
                for p in points(m):
                    a = {x["key"]: x["value"]["stringValue"] for x in p["attributes"]}
                    have[(a["netmon.device.ip"], a["network.io.direction"])] = int(p["asInt"])
            if have != want:
                fail("snapshot %s: device io %r, payload %r" % (snap["snapshotId"], have, want))
            fs.write(json.dumps(snap) + "\n")
            fo.write(json.dumps(r["body"]) + "\n")
    print("%d snapshots delivered to the otlp endpoint once each, in order, values equal "
          "to the payload's" % len(got))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
