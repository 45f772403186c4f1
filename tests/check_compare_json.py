#!/usr/bin/env python3
"""Checks the JSON of `i8gemm compare --json` (ctest cli.compare_json): the oracle first, then one
row per path, each with its rate, its share of its peak (when it has a peak loop), its speed-up
over the oracle and its bit-exactness."""
import json
import sys

doc = json.load(sys.stdin)
rows = doc["rows"]
assert rows[0]["path"] == "oracle" and rows[0]["bit_exact"] is None, rows[0]
assert rows[0]["speedup_vs_oracle"] == 1.0
paths = [r["path"] for r in rows[1:]]
assert "scalar" in paths and len(set(paths)) == len(paths), paths
for r in rows:
    assert r["gmacs"] > 0 and r["seconds_per_call"] > 0, r
    assert abs(r["speedup_vs_oracle"] - r["gmacs"] / rows[0]["gmacs"]) < 1e-3 * r["speedup_vs_oracle"] + 1e-3, r
    if r["path"] != "oracle":
        assert r["bit_exact"] is True, r
    if r["peak_gmacs"] is not None:
        assert abs(r["percent_of_peak"] - 100 * r["gmacs"] / r["peak_gmacs"]) < 0.01, r
print(f"compare json: {len(rows)} rows ({', '.join(paths)}), all bit-exact")
