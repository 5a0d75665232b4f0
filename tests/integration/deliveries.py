#!/usr/bin/python3
"""Checks on api_receiver.py's log for the delivery tests.

  deliveries.py count LOG                 requests answered 2xx
  deliveries.py attempts LOG              all requests
  deliveries.py ordered LOG SNAPS [SNAPS2...]
        every snapshot written to the JSON Lines files SNAPS... (the reporter's
        stdout, one file per reporter run) was delivered (2xx) exactly once, in
        the order it was made; every delivered body is one of them
  deliveries.py headers LOG KEY           every request had Content-Type
        application/json, "Authorization: Bearer KEY", Idempotency-Key equal
        to the body's snapshotId
  deliveries.py field LOG DOTTED.PATH     that field of the last delivered body
  deliveries.py maxfield LOG DOTTED.PATH  the largest value of it over delivered bodies
Exit 0 when the check holds, 1 with one line on stderr.
"""
import json
import sys


PROG = "deliveries.py"


def fail(msg):
    print(PROG + ": " + msg, file=sys.stderr)
    sys.exit(1)


def load(path):
    out = []
    try:
        with open(path) as f:
            for line in f:
                if line.endswith("\n"):
                    out.append(json.loads(line))
    except FileNotFoundError:
        pass
    return out


def ok(recs):
    return [r for r in recs if 200 <= r["status"] < 300]


def snaps(paths):
    ids = []
    for p in paths:
        with open(p, "rb") as f:
            for raw in f.read().split(b"\n")[:-1]:
                ids.append(json.loads(raw)["snapshotId"])
    return ids


def once_in_order(made, got):
    """Every key of `made` (the snapshots written, in order) is in `got` (the
    deliveries answered 2xx) exactly once, in the same order, and nothing else."""
    if len(set(got)) != len(got):
        dup = [i for i in set(got) if got.count(i) > 1]
        fail("%d snapshot(s) delivered twice, e.g. %s" % (len(dup), dup[0]))
    missing = [i for i in made if i not in set(got)]
    if missing:
        fail("%d of %d snapshots never delivered, first %s" % (len(missing), len(made), missing[0]))
    extra = [i for i in got if i not in set(made)]
    if extra:
        fail("%d delivered snapshot(s) the reporter never wrote, e.g. %s" % (len(extra), extra[0]))
    pos = {i: n for n, i in enumerate(made)}
    if [pos[i] for i in got] != sorted(pos[i] for i in got):
        fail("delivered out of order")


def get(obj, dotted):
    for k in dotted.split("."):
        obj = obj[k]
    return obj


def main(argv):
    cmd, log = argv[1], argv[2]
    recs = load(log)
    if cmd == "count":
        print(len(ok(recs)))
    elif cmd == "attempts":
        print(len(recs))
    elif cmd == "ordered":
        made = snaps(argv[3:])
        got = [r["body"]["snapshotId"] for r in ok(recs)]
        once_in_order(made, got)
        print("%d snapshots delivered once each, in order" % len(got))
    elif cmd == "headers":
        key = argv[3]
        for r in recs:
            h = r["headers"]
            if h.get("content-type") != "application/json":
                fail("Content-Type %r" % h.get("content-type"))
            if h.get("authorization") != "Bearer " + key:
                fail("Authorization header wrong or missing")
            if r["body"] is None:
                fail("a body did not parse: %s" % r["bodyError"])
            if h.get("idempotency-key") != r["body"]["snapshotId"]:
                fail("Idempotency-Key %r != snapshotId %r" % (h.get("idempotency-key"), r["body"]["snapshotId"]))
        print("%d requests with the right headers" % len(recs))
    elif cmd == "field":
        d = ok(recs)
        if not d:
            fail("nothing delivered")
        print(json.dumps(get(d[-1]["body"], argv[3])).strip('"'))
    elif cmd == "maxfield":
        print(max(get(r["body"], argv[3]) for r in ok(recs)))
    else:
        fail("unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
