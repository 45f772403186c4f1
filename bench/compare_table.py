#!/usr/bin/env python3
"""Markdown table of medians from i8gemm_bench JSON output: the best path against oneDNN.

usage: compare_table.py SUITE.json [ONEDNN_RESTRICTED.json LABEL]

SUITE.json is a full run (bench/run.sh writes build/release/bench.json). The optional second
file is a run of the oneDNN benchmarks alone under another ONEDNN_MAX_CPU_ISA (bench/run.sh
writes build/release/bench_onednn_vnni.json with AVX512_CORE_VNNI), shown as extra columns.
The best path is the suite's own (context i8gemm_best_isa); every other path gets an int8
column. Beside the best path's int32 column, oneDNN's dnnl_gemm_u8s8s32 (int32 out, uint8 A):
on CPUs without AVX-512 its int8 matmul with int8 A runs a slow kernel (oneDNN 2.6 on a Zen 2:
3 GMAC/s), and this is its fast one there. A suite built without oneDNN gives the table without
the oneDNN columns.
"""
import json
import sys


def medians(path):
    """{run_name: median GMAC/s (GB/s for the bandwidth runs)} and the context."""
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data.get("benchmarks", []):
        if b.get("aggregate_name") != "median" or b.get("error_occurred"):
            continue
        for counter in ("GMAC/s", "GB/s"):
            if counter in b:
                out[b["run_name"]] = b[counter]
    return out, data.get("context", {})


def paths_and_best(suite, ctx):
    """The paths in the suite, worst first, and the best one (the one run on 2 threads)."""
    paths = [p for p in str(ctx.get("i8gemm_paths", "")).split(",") if p]
    seen = []
    for name in suite:
        parts = name.split("/")
        if len(parts) >= 4 and parts[0] == "gemm" and not parts[1].startswith("onednn"):
            if parts[1] not in seen:
                seen.append(parts[1])
    paths = [p for p in paths if p in seen] + [p for p in seen if p not in paths]
    best = ctx.get("i8gemm_best_isa")
    if best not in paths:
        two = [n.split("/")[1] for n in suite if "/threads:2" in n and not n.startswith("gemm/onednn")]
        best = two[0] if two else (paths[-1] if paths else None)
    return paths, best


def read_bandwidths(suite):
    """[(bytes, GB/s)] of the bandwidth/read/<bytes> benchmarks, by size."""
    out = []
    for name, v in suite.items():
        parts = name.split("/")
        if len(parts) == 3 and parts[:2] == ["bandwidth", "read"]:
            out.append((int(parts[2]), v))
    return sorted(out)


def fmt(v, pattern="%.1f"):
    return pattern % v if v else "-"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    suite, ctx = medians(sys.argv[1])
    extra, extra_label = ({}, None)
    if len(sys.argv) >= 4:
        extra, _ = medians(sys.argv[2])
        extra_label = sys.argv[3] if extra else None
    paths, best = paths_and_best(suite, ctx)
    if best is None:
        sys.exit("compare_table.py: no gemm/<path>/... results in %s" % sys.argv[1])
    has_onednn = any(n.startswith("gemm/onednn_matmul/") for n in suite)
    peak = float(str(ctx.get("peak_" + best, "0")).split()[0] or 0)
    shapes = []
    for name in suite:
        parts = name.split("/")
        if len(parts) == 4 and parts[:3] == ["gemm", best, "int8"]:
            shapes.append(parts[3])
    others = [p for p in reversed(paths) if p != best]
    cols = ["shape", "%s int8" % best, "%peak", "%s int8 (fp32 scales)" % best,
            "%s int8, prepared" % best]
    if has_onednn:
        cols += ["oneDNN matmul int8 (%s)" % ctx.get("onednn_effective_cpu_isa", "?"), "ratio",
                 "ratio (prepared)"]
    if extra_label:
        cols += ["oneDNN matmul int8 (%s)" % extra_label, "ratio"]
    cols += ["%s int32" % best]
    if has_onednn:
        cols += ["oneDNN gemm_u8s8s32 int32", "ratio (int32)"]
    cols += ["%s int8" % p for p in others]
    cols += ["%s int8, 2 threads" % best, "speed-up"]
    if has_onednn:
        cols += ["oneDNN matmul, 2 threads"]
    bandwidth = read_bandwidths(suite)
    if bandwidth:
        cols += ["GEMV: B read GB/s", "% of read bandwidth at B's size"]
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for s in shapes:
        ours = suite.get("gemm/%s/int8/%s" % (best, s))
        row = [s.replace("x", "×"), fmt(ours), fmt(100 * ours / peak if peak else 0, "%.0f%%")]
        row.append(fmt(suite.get("gemm/%s/int8_fp32/%s" % (best, s))))
        prepared = suite.get("gemm/%s/int8_prepared/%s" % (best, s))
        row.append(fmt(prepared))
        if has_onednn:
            dn = suite.get("gemm/onednn_matmul/int8/" + s)
            row += [fmt(dn), fmt(ours / dn if dn else 0, "%.2f"),
                    fmt(prepared / dn if dn and prepared else 0, "%.2f")]
        if extra_label:
            dv = extra.get("gemm/onednn_matmul/int8/" + s)
            row += [fmt(dv), fmt(ours / dv if dv else 0, "%.2f")]
        ours32 = suite.get("gemm/%s/int32/%s" % (best, s))
        row.append(fmt(ours32))
        if has_onednn:
            dn32 = suite.get("gemm/onednn_gemm_u8s8s32/int32/" + s)
            row += [fmt(dn32), fmt(ours32 / dn32 if dn32 and ours32 else 0, "%.2f")]
        row += [fmt(suite.get("gemm/%s/int8/%s" % (p, s))) for p in others]
        two = suite.get("gemm/%s/int8/%s/threads:2/real_time" % (best, s))
        row += [fmt(two), fmt(two / ours if two else 0, "%.2f")]
        if has_onednn:
            row.append(fmt(suite.get("gemm/onednn_matmul/int8/%s/threads:2/real_time" % s)))
        if bandwidth:
            m, n, k = (int(x) for x in s.split("x"))
            if m <= 4 and ours:
                # One byte of B per multiply-add of each row: B's GB/s = GMAC/s / M.
                gbs = ours / m
                size, bw = next(((b, v) for b, v in bandwidth if b >= n * k), bandwidth[-1])
                row += [fmt(gbs), "%.0f%% (%d MiB: %.1f GB/s)" % (100 * gbs / bw, size >> 20, bw)]
            else:
                row += ["", ""]
        print("| " + " | ".join(row) + " |")


def dynamic_table(suite):
    """Dynamic quantization: the fused call against the two-pass way, the int8 GEMM it wraps
    (A already quantized, int32 out) and oneDNN's f32 matmul (GMAC/s and ratios)."""
    paths, shapes = [], []
    for name in suite:
        parts = name.split("/")
        if len(parts) == 4 and parts[0] == "dynamic" and parts[2] == "fused":
            if parts[1] not in paths:
                paths.append(parts[1])
            if parts[3] not in shapes:
                shapes.append(parts[3])
    if not paths:
        return
    has_onednn = any(n.startswith("dynamic/onednn_f32/") for n in suite)
    cols = ["path", "shape", "fused", "two-pass", "fused / two-pass", "int8 GEMM, int32 out",
            "fused time / int32 time"]
    if has_onednn:
        cols += ["oneDNN f32 matmul", "fused / oneDNN f32"]
    print()
    print("Dynamic quantization (GMAC/s, one thread; ratios of speed unless said):")
    print()
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for p in paths:
        for s in shapes:
            fused = suite.get("dynamic/%s/fused/%s" % (p, s))
            two = suite.get("dynamic/%s/two_pass/%s" % (p, s))
            i32 = suite.get("gemm/%s/int32/%s" % (p, s))
            row = [p, s.replace("x", "×"), fmt(fused), fmt(two), fmt(fused / two if fused and two else 0, "%.2f"),
                   fmt(i32), fmt(i32 / fused if fused and i32 else 0, "%.2f")]
            if has_onednn:
                f32 = suite.get("dynamic/onednn_f32/" + s)
                row += [fmt(f32), fmt(fused / f32 if fused and f32 else 0, "%.2f")]
            print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
    dynamic_table(medians(sys.argv[1])[0])
