#!/usr/bin/env python3
"""PNG charts of the benchmark suite (Debian: python3-matplotlib).

usage: plot.py [SUITE.json [ONEDNN_RESTRICTED.json [LABEL]]] [--out DIR] [--cpu NAME]

SUITE.json (default build/release/bench.json, written by bench/run.sh) gives, for one thread
and int8 output:
  gmacs.png    GMAC/s against shape for every path, the scalar oracle and oneDNN (log scale),
               each path's measured dot-product peak as a dashed line of its colour;
  speedup.png  speed-up of every path (and oneDNN) over the scalar oracle, on the shapes the
               oracle runs.
The optional second file, a run of the oneDNN benchmarks alone under another ONEDNN_MAX_CPU_ISA
(default build/release/bench_onednn_vnni.json when it exists; LABEL defaults to
AVX512_CORE_VNNI), is drawn as one more oneDNN series. The charts go to DIR (default: plots/
next to SUITE.json). Titles name the CPU: "model name" from /proc/cpuinfo unless --cpu is given
(run it on the machine that ran the benchmarks).
"""
import argparse
import json
import os
import re
import sys

try:
    import matplotlib
except ImportError:
    # Debian's python3-matplotlib lives in the system interpreter, which another python3 first in
    # PATH (pyenv, a venv) does not see.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath(
            "/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("plot.py needs matplotlib: install the Debian package python3-matplotlib")

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

ONEDNN = "onednn_matmul"


def load(path):
    """{run_name: GMAC/s} (medians when the run has repetitions) and the context."""
    with open(path) as f:
        data = json.load(f)
    medians, singles = {}, {}
    for b in data.get("benchmarks", []):
        if "GMAC/s" not in b or b.get("error_occurred"):
            continue
        name = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[name] = b["GMAC/s"]
        else:
            singles.setdefault(name, []).append(b["GMAC/s"])
    out = {n: sum(v) / len(v) for n, v in singles.items()}
    out.update(medians)
    return out, data.get("context", {})


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key.strip() in ("model name", "Model", "Hardware") and value.strip():
                    return value.strip()
    except OSError:
        pass
    return os.uname().machine


def one_thread_int8(results):
    """{path: {shape: GMAC/s}} for gemm/<path>/int8/<shape> (one thread) and shapes in order."""
    series, shapes = {}, []
    for name, value in results.items():
        parts = name.split("/")
        if len(parts) != 4 or parts[0] != "gemm" or parts[2] != "int8":
            continue
        series.setdefault(parts[1], {})[parts[3]] = value
        if parts[3] not in shapes:
            shapes.append(parts[3])
    return series, shapes


def peaks(context, results):
    """{path: GMAC/s} from the context's peak_<path> (or the peak/<path> benchmarks)."""
    out = {}
    for key, value in context.items():
        m = re.match(r"peak_(\w+)$", key)
        n = re.match(r"\s*([0-9.]+)", str(value))
        if m and n:
            out[m.group(1)] = float(n.group(1))
    for name, value in results.items():
        if name.startswith("peak/"):
            out.setdefault(name.split("/")[1], value)
    return out


def ordered_paths(series, context):
    """The suite's paths in its order of preference (context i8gemm_paths), then the peers."""
    order = [p for p in str(context.get("i8gemm_paths", "")).split(",") if p]
    known = [p for p in order if p in series]
    others = sorted(p for p in series if p not in order)
    return known + others


def label_of(path, context):
    if path == ONEDNN:
        return "oneDNN matmul (%s)" % context.get("onednn_effective_cpu_isa", "default ISA")
    if path.startswith(ONEDNN + "@"):
        return "oneDNN matmul (%s)" % path.split("@", 1)[1]
    if path == "scalar":
        return "scalar (oracle)"
    return path


def plot_gmacs(series, shapes, peak, context, cpu, out):
    fig, ax = plt.subplots(figsize=(14, 6.5))
    x = list(range(len(shapes)))
    for path in ordered_paths(series, context):
        # Missing shapes (the oracle skips the large ones) break the line instead of bridging it.
        ys = [series[path].get(s, float("nan")) for s in shapes]
        style = dict(marker="o", linewidth=1.8)
        if path == ONEDNN:
            style.update(marker="s", color="black")
        elif path.startswith(ONEDNN):
            style.update(marker="s", linestyle="--", color="dimgray")
        (line,) = ax.plot(x, ys, label=label_of(path, context), **style)
        if path in peak:
            ax.axhline(peak[path], color=line.get_color(), linestyle=":", linewidth=1.3,
                       label="%s peak %.0f" % (path, peak[path]))
    ax.set_yscale("log")
    ax.set_xticks(x)
    ax.set_xticklabels([s.replace("x", "×") for s in shapes], rotation=40, ha="right")
    ax.set_xlim(-0.5, len(shapes) - 0.5)
    ax.set_xlabel("shape M×N×K")
    ax.set_ylabel("GMAC/s (log scale)")
    ax.set_title("i8gemm, int8 output, 1 thread: GMAC/s per path (dotted: measured peak)\n" + cpu)
    ax.grid(True, which="both", axis="y", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


def plot_speedup(series, shapes, context, cpu, out):
    scalar = series.get("scalar", {})
    base = [s for s in shapes if s in scalar]
    paths = [p for p in ordered_paths(series, context) if p != "scalar"]
    if not base or not paths:
        return False
    fig, ax = plt.subplots(figsize=(14, 6.5))
    width = 0.8 / len(paths)
    for k, path in enumerate(paths):
        xs = [i + (k - (len(paths) - 1) / 2) * width for i, s in enumerate(base)
              if s in series[path]]
        ys = [series[path][s] / scalar[s] for s in base if s in series[path]]
        style = {}
        if path.startswith(ONEDNN):
            style = dict(color="black" if path == ONEDNN else "dimgray")
        bars = ax.bar(xs, ys, width=width, label=label_of(path, context), **style)
        for bar, y in zip(bars, ys):
            ax.annotate("%.0f" % y, xy=(bar.get_x() + bar.get_width() / 2, y), xytext=(0, 1),
                        textcoords="offset points", ha="center", va="bottom", fontsize=7)
    ax.axhline(1.0, color="gray", linewidth=0.8)
    ax.set_yscale("log")
    ax.set_xticks(range(len(base)))
    ax.set_xticklabels([s.replace("x", "×") for s in base], rotation=40, ha="right")
    ax.set_xlabel("shape M×N×K (those the scalar oracle runs)")
    ax.set_ylabel("speed-up over scalar (log scale)")
    ax.set_title("i8gemm, int8 output, 1 thread: speed-up over the scalar oracle\n" + cpu)
    ax.grid(True, which="both", axis="y", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("suite", nargs="?", default="build/release/bench.json")
    parser.add_argument("onednn", nargs="?", default=None)
    parser.add_argument("label", nargs="?", default="AVX512_CORE_VNNI")
    parser.add_argument("--out", default=None, help="output directory")
    parser.add_argument("--cpu", default=None, help="CPU name for the titles")
    args = parser.parse_args()

    results, context = load(args.suite)
    series, shapes = one_thread_int8(results)
    if not shapes:
        sys.exit("plot.py: no gemm/<path>/int8/<shape> results in %s" % args.suite)
    onednn = args.onednn
    if onednn is None:
        default = os.path.join(os.path.dirname(args.suite), "bench_onednn_vnni.json")
        onednn = default if os.path.exists(default) else None
    if onednn:
        extra, _ = load(onednn)
        extra_series, _ = one_thread_int8(extra)
        if ONEDNN in extra_series:
            series["%s@%s" % (ONEDNN, args.label)] = extra_series[ONEDNN]
    cpu = args.cpu or cpu_model()
    peak = peaks(context, results)
    out_dir = args.out or os.path.join(os.path.dirname(os.path.abspath(args.suite)), "plots")
    os.makedirs(out_dir, exist_ok=True)
    written = [os.path.join(out_dir, "gmacs.png")]
    plot_gmacs(series, shapes, peak, context, cpu, written[0])
    if plot_speedup(series, shapes, context, cpu, os.path.join(out_dir, "speedup.png")):
        written.append(os.path.join(out_dir, "speedup.png"))
    for path in written:
        print(path)


if __name__ == "__main__":
    main()
