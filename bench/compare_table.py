#!/usr/bin/env python3
"""Markdown table of medians from i8gemm_bench JSON output: each path against oneDNN.

usage: compare_table.py SUITE.json [ONEDNN_RESTRICTED.json LABEL]

SUITE.json is a full run (bench/run.sh writes build/release/bench.json). The optional second
file is a run of the oneDNN benchmarks alone under another ONEDNN_MAX_CPU_ISA (bench/run.sh
writes build/release/bench_onednn_vnni.json with AVX512_CORE_VNNI), shown as extra columns.
"""
import json
import sys


def medians(path):
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") == "median" and "GMAC/s" in b:
            out[b["run_name"]] = b["GMAC/s"]
    return out, data["context"]


def main():
    suite, ctx = medians(sys.argv[1])
    extra, extra_label = ({}, None)
    if len(sys.argv) >= 4:
        extra, _ = medians(sys.argv[2])
        extra_label = sys.argv[3]
    peak = float(str(ctx.get("peak_avx512vnni", "0")).split()[0] or 0)
    shapes = []
    for name in suite:
        parts = name.split("/")
        if len(parts) == 4 and parts[:3] == ["gemm", "avx512vnni", "int8"]:
            shapes.append(parts[3])
    cols = ["shape", "avx512vnni int8", "%peak", "avx512vnni int8 (fp32 scales)", "oneDNN matmul int8 (%s)" % ctx.get("onednn_effective_cpu_isa", "?"), "ratio"]
    if extra_label:
        cols += ["oneDNN matmul int8 (%s)" % extra_label, "ratio"]
    cols += ["avx512vnni int32", "avx512bw int8", "avx2 int8", "scalar int8",
             "avx512vnni int8, 2 threads", "speed-up", "oneDNN matmul, 2 threads"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for s in shapes:
        ours = suite.get("gemm/avx512vnni/int8/" + s)
        row = [s.replace("x", "×"), "%.1f" % ours, "%.0f%%" % (100 * ours / peak) if peak else "-"]
        fs = suite.get("gemm/avx512vnni/int8_fp32/" + s)
        row.append("%.1f" % fs if fs else "-")
        dn = suite.get("gemm/onednn_matmul/int8/" + s)
        row += ["%.1f" % dn if dn else "-", "%.2f" % (ours / dn) if dn else "-"]
        if extra_label:
            dv = extra.get("gemm/onednn_matmul/int8/" + s)
            row += ["%.1f" % dv if dv else "-", "%.2f" % (ours / dv) if dv else "-"]
        for key in ("avx512vnni/int32", "avx512bw/int8", "avx2/int8", "scalar/int8"):
            v = suite.get("gemm/%s/%s" % (key, s))
            row.append("%.1f" % v if v else "-")
        two = suite.get("gemm/avx512vnni/int8/%s/threads:2/real_time" % s)
        dn2 = suite.get("gemm/onednn_matmul/int8/%s/threads:2/real_time" % s)
        row += ["%.1f" % two if two else "-", "%.2f" % (two / ours) if two else "-",
                "%.1f" % dn2 if dn2 else "-"]
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
