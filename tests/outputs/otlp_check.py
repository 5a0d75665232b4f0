#!/usr/bin/python3
"""otlp_check.py PROTO_PY_DIR SNAPSHOTS OTLP: every OTLP line must decode with
protobuf's strict JSON parser (unknown fields, wrong types and bad enum values
are errors) as an opentelemetry.proto ExportMetricsServiceRequest, and its
values must be the payload's: each device's netmon.device.io point equals the
snapshot's rx/txBytesTotal, each cumulative sum has a start time not after
its time, and the resource names the server."""
import json
import sys

sys.path.insert(0, sys.argv[1])
from google.protobuf import json_format  # noqa: E402
from opentelemetry.proto.collector.metrics.v1 import metrics_service_pb2  # noqa: E402

problems = []
snaps = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
reqs = [l for l in open(sys.argv[3]) if l.strip()]
if len(snaps) != len(reqs):
    problems.append("%d snapshots, %d requests" % (len(snaps), len(reqs)))
for n, (snap, text) in enumerate(zip(snaps, reqs), 1):
    msg = metrics_service_pb2.ExportMetricsServiceRequest()
    try:
        json_format.Parse(text, msg, ignore_unknown_fields=False)
    except json_format.ParseError as e:
        problems.append("request %d: %s" % (n, e))
        continue
    rm = msg.resource_metrics[0]
    attrs = {a.key: a.value.string_value for a in rm.resource.attributes}
    if attrs.get("host.name") != snap["serverId"] or attrs.get("service.name") != "netmon":
        problems.append("request %d: resource %r" % (n, attrs))
    metrics = {m.name: m for m in rm.scope_metrics[0].metrics}
    for name, m in metrics.items():
        kind = m.WhichOneof("data")
        pts = getattr(m, kind).data_points
        if not pts:
            problems.append("request %d: %s has no data point" % (n, name))
        if kind == "sum":
            if m.sum.aggregation_temporality != 2:
                problems.append("request %d: %s not cumulative" % (n, name))
            for p in pts:
                if not 0 < p.start_time_unix_nano <= p.time_unix_nano:
                    problems.append("request %d: %s start %d time %d" %
                                    (n, name, p.start_time_unix_nano, p.time_unix_nano))
    want = {}
    for d in snap["network"]["connectedDevices"]:
        want[(d["ip"], "receive")] = d["bandwidth"]["rxBytesTotal"]
        want[(d["ip"], "transmit")] = d["bandwidth"]["txBytesTotal"]
    got = {}
    if "netmon.device.io" in metrics:
        for p in metrics["netmon.device.io"].sum.data_points:
            a = {x.key: x.value.string_value for x in p.attributes}
            got[(a["netmon.device.ip"], a["network.io.direction"])] = p.as_int
            names = [d["deviceName"] for d in snap["network"]["connectedDevices"]
                     if d["ip"] == a["netmon.device.ip"]]
            if names and a["netmon.device.name"] != names[0]:
                problems.append("request %d: name %r, payload %r" %
                                (n, a["netmon.device.name"], names[0]))
    if got != want:
        problems.append("request %d: device io %r, payload %r" % (n, got, want))
for p in problems:
    print(p)
print("%d requests decoded strictly as ExportMetricsServiceRequest, %d problems" % (len(reqs), len(problems)))
sys.exit(1 if problems else 0)
