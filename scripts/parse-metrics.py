#!/usr/bin/python3
"""Reads a Prometheus text file with prometheus_client's own parser (the one Prometheus's
Python client ships) and prints its samples as JSON: {"name{label="v",...}": value}.
Used by MetricsTests: the metrics file must parse for a real Prometheus text parser.
Exits 2 with a message when the parser rejects the file."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

text = open(sys.argv[1], encoding="utf-8").read()
out = {}
types = {}
try:
    for family in text_string_to_metric_families(text):
        types[family.name] = family.type
        for s in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(s.labels.items()))
            out[s.name + ("{" + labels + "}" if labels else "")] = s.value
except Exception as e:  # the parser's ValueError and friends
    print(f"parse-metrics: {sys.argv[1]}: {e}", file=sys.stderr)
    sys.exit(2)
json.dump({"samples": out, "types": types}, sys.stdout, sort_keys=True)
