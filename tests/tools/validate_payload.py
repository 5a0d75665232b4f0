#!/usr/bin/python3
"""Validate netmon snapshots (JSON Lines on stdin or in files) against docs/payload.schema.json.

Usage: validate_payload.py [FILE...]   exit 0 when every line validates, 1 otherwise.
Needs Debian's python3-jsonschema (run with /usr/bin/python3).
"""
import json
import os
import sys

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = os.path.join(HERE, "..", "..", "docs", "payload.schema.json")


def main(argv):
    with open(SCHEMA) as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    streams = [open(p) for p in argv[1:]] or [sys.stdin]
    lines = bad = 0
    for stream in streams:
        for n, line in enumerate(stream, 1):
            if not line.strip():
                continue
            lines += 1
            try:
                doc = json.loads(line)
            except ValueError as e:
                print(f"{stream.name}:{n}: not JSON: {e}")
                bad += 1
                continue
            for err in validator.iter_errors(doc):
                path = "/".join(str(p) for p in err.absolute_path)
                print(f"{stream.name}:{n}: /{path}: {err.message}")
                bad += 1
    if lines == 0:
        print("no snapshot to validate")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
