#!/usr/bin/env python3
"""Quantization, step by step, with i8gemm and numpy (docs/math.md is the specification).

  1. choosing (scale, zero point) from an observed range
  2. quantizing and dequantizing per tensor, per row and per column, at 8 and at 3 bits
  3. a quantized matrix product with zero points, against numpy's float product
  4. requantizing the int32 result to int8 (the next layer's input)
  5. a two-layer MLP run quantized end to end, against its float original

Run from the build tree (PYTHONPATH=build/release/python) or against an installed package:
    python3 tests/examples/quantization_walkthrough.py [--check]
--check: exit 1 unless every number below is within its stated bound (ctest runs it this way).
"""

import sys

import numpy as np

import i8gemm

CHECK = "--check" in sys.argv[1:]
failures = []


def check(ok, what):
    """Records a bound that does not hold (reported, and fatal under --check)."""
    if not ok:
        failures.append(what)
        print(f"    !! not within bound: {what}")


def title(text):
    print(f"\n{text}\n{'-' * len(text)}")


def describe(p):
    return f"scale {p.scale:.6g}, zero point {p.zero_point}, q in [{p.qmin}, {p.qmax}]"


rng = np.random.default_rng(2024)

# ---------------------------------------------------------------------------------------------
title("1. Parameters from a range: r ~= scale * (q - zero_point)")
print("An observed range [min, max] (widened to include 0, so that 0.0 is exact) is spread over")
print("the integer range; the zero point is the integer that stands for 0.0.\n")
for lo, hi, kwargs, label in [
    (-2.0, 3.0, dict(), "int8 asymmetric"),
    (-2.0, 3.0, dict(signed=False), "uint8 asymmetric"),
    (-2.0, 3.0, dict(symmetric=True), "int8 symmetric, restricted [-127, 127]"),
    (-2.0, 3.0, dict(symmetric=True, symmetric_range="full"), "int8 symmetric, full [-128, 127]"),
    (-2.0, 3.0, dict(bits=3), "3-bit signed"),
    (0.5, 3.0, dict(), "int8, a range without 0"),
]:
    p = i8gemm.choose_quant_params(lo, hi, **kwargs)
    print(f"  [{lo:5.2f}, {hi:5.2f}] {label:40s} -> {describe(p)}")
p = i8gemm.choose_quant_params(-2.0, 3.0)
values = np.array([-2.0, -1.0, 0.0, 0.01, 1.0, 2.5, 3.0, 7.0], np.float32)
q = i8gemm.quantize(values, p)
back = i8gemm.dequantize(q, p)
print("\n  int8 [-2, 3]:      x ->   q -> dequantized (error)")
for x, qi, b in zip(values, q, back):
    print(f"    {x:7.3f} -> {qi:4d} -> {b:8.4f}  ({b - x:+.4f})")
print(f"  Inside the range the error is at most half a step ({p.scale / 2:.5f}); 7.0 lies outside")
print("  and is clamped to the largest value, 3.0. 0.0 comes back exactly.")
inside = np.abs(values) <= 3.0
check(np.all(np.abs(back - values)[inside] <= p.scale / 2 * 1.0001), "half a step inside")
check(back[2] == 0.0, "0.0 is exact")

# ---------------------------------------------------------------------------------------------
title("2. Granularity: per tensor, per row (token), per column (output channel)")
print("A 64 x 16 weight matrix whose columns (output channels) differ in magnitude by 400x, as")
print("real layers' do. One scale for the whole tensor is sized by the largest column, and the")
print("smallest columns round to almost nothing; one scale per column fits each. (Per row is the")
print("granularity of activations, one scale per token; here the rows all span every column.)\n")
W = (rng.standard_normal((64, 16)) * np.geomspace(0.01, 4.0, 16)).astype(np.float32)
column_rms = np.sqrt(np.mean(W.astype(np.float64) ** 2, axis=0))
results = {}
print(f"  {'bits':>4s} {'granularity':12s} {'MSE':>10s} {'max |error|':>12s} {'worst column':>13s}")
print(f"  {'':4s} {'':12s} {'':>10s} {'':>12s} {'rel. error':>13s}")
for bits in (8, 3):
    for granularity in ("tensor", "row", "column"):
        if granularity == "tensor":
            p = i8gemm.choose_quant_params(float(W.min()), float(W.max()), bits=bits)
            back = i8gemm.dequantize(i8gemm.quantize(W, p), p)
            mse = i8gemm.quantization_mse(W, p)
        elif granularity == "row":
            ps = i8gemm.choose_quant_params_rows(W, bits=bits)
            back = i8gemm.dequantize_rows(i8gemm.quantize_rows(W, ps), ps)
            mse = i8gemm.quantization_mse_rows(W, ps)
        else:
            ps = i8gemm.choose_quant_params_columns(W, bits=bits)
            back = i8gemm.dequantize_columns(i8gemm.quantize_columns(W, ps), ps)
            mse = i8gemm.quantization_mse_columns(W, ps)
        err = back.astype(np.float64) - W
        worst = np.max(np.sqrt(np.mean(err**2, axis=0)) / column_rms)
        results[bits, granularity] = worst
        print(f"  {bits:4d} {granularity:12s} {mse:10.3e} {np.abs(err).max():12.3e} {worst:12.1%}")
        check(abs(mse - np.mean(err**2)) <= 1e-9 * max(mse, 1e-30), f"MSE {bits} {granularity}")
print("\n  (relative error of a column: rms of its error / rms of its values.) Per tensor, the")
print("  smallest channel is lost even at 8 bits; per column, every channel keeps about the")
print("  same relative precision, which 3 bits make coarse (8 levels) but not useless.")
check(results[8, "column"] < 0.02 and results[8, "tensor"] > 0.5, "per column keeps every channel")
check(results[3, "column"] < 0.5, "3 bits per column")

# ---------------------------------------------------------------------------------------------
title("3. A quantized product with zero points: X W")
print("X (activations, 8 x 64) asymmetric uint8 per tensor, W symmetric int8 per output channel.")
print("i8gemm computes acc[i, j] = sum_k (xq[i, k] - zx) (wq[k, j] - 0) exactly in int32;")
print("acc * sx * sw[j] is then X W up to the two quantization errors.\n")
X = (rng.standard_normal((8, 64)) + 0.5).astype(np.float32)
px = i8gemm.choose_quant_params(float(X.min()), float(X.max()), signed=False)
xq = i8gemm.quantize(X, px)
pw = i8gemm.choose_quant_params_columns(W, symmetric=True)
wq = i8gemm.quantize_columns(W, pw)
sw = np.array([p.scale for p in pw], np.float32)
print(f"  x: {describe(px)}")
print(f"  w: {len(pw)} scales from {sw.min():.3g} to {sw.max():.3g}, zero point 0")

acc = i8gemm.gemm(xq, wq, a_zero_point=px.zero_point)  # int32
by_hand = int(np.sum((xq[0].astype(np.int64) - px.zero_point) * wq[:, 0].astype(np.int64)))
print(f"  acc[0, 0] = {acc[0, 0]} (by hand in numpy int64: {by_hand})")
check(acc[0, 0] == by_hand, "acc[0, 0]")
check(np.array_equal(acc, (xq.astype(np.int64) - px.zero_point) @ wq.astype(np.int64)), "acc")

Y = X @ W  # the float reference
Yq = i8gemm.gemm(xq, wq, i8gemm.OutputFloat(a_scale=px.scale, b_scale=sw), a_zero_point=px.zero_point)
err = np.abs(Yq - Y)
# The error bound: each product x w carries |x| dw + |w| dx + dx dw with dx, dw half steps.
half_x, half_w = px.scale / 2, sw / 2
bound = (np.abs(X).sum(axis=1, keepdims=True) * half_w + half_x * np.abs(W).sum(axis=0)
         + 64 * half_x * half_w) * 1.001 + 1e-5
print(f"  dequantized in the epilogue (OutputFloat): max |error| {err.max():.4g} against numpy's")
print(f"  float X W (|X W| up to {np.abs(Y).max():.3g}); the worst-case bound is {bound.max():.4g}.")
check(np.all(err <= bound), "quantized product within the worst-case bound")

# ---------------------------------------------------------------------------------------------
title("4. Requantizing to int8: the int32 result at (sy, zy), ready for the next layer")
print("y = zy + (sx sw[j] / sy) (acc + bias_q[j]): the real multiplier sx sw[j] / sy becomes a")
print("fixed-point (m0, shift) pair, as TensorFlow Lite and gemmlowp do; the bias is quantized")
print("to int32 at scale sx sw[j].\n")
b = rng.uniform(-1, 1, 16).astype(np.float32)
Yb = Y + b
py_ = i8gemm.choose_quant_params(float(Yb.min()), float(Yb.max()))
bias_q = i8gemm.quantize_bias(b, px.scale, sw)
multipliers = [float(px.scale) * float(s) / float(py_.scale) for s in sw]
qm = [i8gemm.quantize_multiplier(m) for m in multipliers]
print(f"  y: {describe(py_)}")
print(f"  multiplier[0] = {multipliers[0]:.6g} -> {qm[0]} = {qm[0].value:.6g}")
print(f"  bias[0] = {b[0]:.5f} -> {bias_q[0]} (x {float(px.scale) * float(sw[0]):.3g})")
fixed = i8gemm.OutputFixedPoint(multipliers, bias=bias_q, zero_point=py_.zero_point)
yq = i8gemm.gemm(xq, wq, fixed, a_zero_point=px.zero_point)
y_back = i8gemm.dequantize(yq, py_)
steps = np.abs(y_back - Yb) / py_.scale
# Bound: the product's (section 3), the bias's half step at sx sw[j], the output's half step.
y_bound = bound + half_x * sw + py_.scale / 2 + 1e-6 * np.abs(Yb)
print(f"  int8 result: {yq.dtype}, {yq.shape}; dequantized, max error {steps.max():.2f} steps of sy")
print(f"  (a step is {py_.scale:.4g}), mean {steps.mean():.2f}: the output's own half step plus")
print("  what the inputs' quantization left in the product.")
check(np.all(np.abs(y_back - Yb) <= y_bound), "requantized within the bound")
scaled = i8gemm.OutputFloatScale(np.array(multipliers, np.float32), bias=bias_q, zero_point=py_.zero_point)
yq_f = i8gemm.gemm(xq, wq, scaled, a_zero_point=px.zero_point)
differ = int(np.count_nonzero(yq_f != yq))
print(f"  The fp32-scale stage (OutputFloatScale, one float multiply) gives the same int8 values")
print(f"  but for {differ} of {yq.size}, where the two roundings part (by one step at most).")
check(np.abs(yq_f.astype(int) - yq).max() <= 1, "fp32 and fixed-point stages within one step")

# ---------------------------------------------------------------------------------------------
title("5. A two-layer MLP: 32 -> 64 -> ReLU -> 10, quantized end to end")
print("Weights quantized once (symmetric int8 per output channel, packed); activation ranges")
print("calibrated on 256 inputs; layer 1 requantizes to int8 with the ReLU fused as the clamp")
print("(min = zero point); layer 2 returns float32 logits through OutputFloat.\n")
W1 = (rng.standard_normal((32, 64)) / np.sqrt(32)).astype(np.float32)
b1 = rng.uniform(-0.2, 0.2, 64).astype(np.float32)
W2 = (rng.standard_normal((64, 10)) / np.sqrt(64)).astype(np.float32)
b2 = rng.uniform(-0.2, 0.2, 10).astype(np.float32)


def mlp_float(x):
    return np.maximum(x @ W1 + b1, 0.0) @ W2 + b2


calibration = rng.standard_normal((256, 32)).astype(np.float32)
test = rng.standard_normal((100, 32)).astype(np.float32)
hidden = np.maximum(calibration @ W1 + b1, 0.0)
p_in = i8gemm.choose_quant_params(float(calibration.min()), float(calibration.max()))
p_hidden = i8gemm.choose_quant_params(0.0, float(hidden.max()))


class QuantizedMLP:
    def __init__(self, ctx):
        self.ctx = ctx
        # Weights as rows (N x K, as nn.Linear stores them), symmetric per output channel.
        self.p1 = i8gemm.choose_quant_params_rows(W1.T, symmetric=True)
        self.p2 = i8gemm.choose_quant_params_rows(W2.T, symmetric=True)
        self.w1 = i8gemm.PackedB(i8gemm.quantize_rows(W1.T, self.p1), layout="nk", ctx=ctx)
        self.w2 = i8gemm.PackedB(i8gemm.quantize_rows(W2.T, self.p2), layout="nk", ctx=ctx)
        s1 = np.array([p.scale for p in self.p1], np.float32)
        s2 = np.array([p.scale for p in self.p2], np.float32)
        self.layer1 = i8gemm.OutputFixedPoint(
            [float(p_in.scale) * float(s) / float(p_hidden.scale) for s in s1],
            bias=i8gemm.quantize_bias(b1, p_in.scale, s1),
            zero_point=p_hidden.zero_point, min=p_hidden.zero_point)  # ReLU
        self.layer2 = i8gemm.OutputFloat(a_scale=p_hidden.scale, b_scale=s2, bias=b2)

    def __call__(self, x):
        xq = i8gemm.quantize(x, p_in)
        h = self.ctx.gemm(xq, self.w1, self.layer1, a_zero_point=p_in.zero_point)
        return self.ctx.gemm(h, self.w2, self.layer2, a_zero_point=p_hidden.zero_point), h


ref = mlp_float(test)
logits, h = QuantizedMLP(i8gemm.Context())(test)
err = np.abs(logits - ref)
agree = np.mean(np.argmax(logits, axis=1) == np.argmax(ref, axis=1))
print(f"  input {describe(p_in)}")
print(f"  hidden {describe(p_hidden)}")
print("  first test input, float vs quantized logits:")
for f, qv in zip(ref[0], logits[0]):
    print(f"    {f:+8.4f}  {qv:+8.4f}  ({qv - f:+.4f})")
print(f"  over 100 inputs: max |error| {err.max():.4f} on logits up to {np.abs(ref).max():.2f};")
print(f"  mean {err.mean():.4f}; the predicted class agrees for {agree:.0%} of the inputs.")
check(err.max() <= 0.05 * np.abs(ref).max(), "MLP logits within 5% of their range")
check(agree >= 0.95, "MLP class agreement >= 95%")

print("\n  The same model on every path of this CPU gives the same bits:")
for path in i8gemm.available_paths():
    ctx = i8gemm.Context(isa=path)
    logits_p, h_p = QuantizedMLP(ctx)(test)
    same = np.array_equal(h_p, h) and np.array_equal(logits_p.view(np.int32), logits.view(np.int32))
    print(f"    {path:12s} {'identical' if same else 'DIFFERENT'} (ran on {ctx.last_used_path})")
    check(same, f"{path} bit-exact")

print()
if failures:
    print(f"walkthrough: {len(failures)} bound(s) not met: {failures}")
    sys.exit(1 if CHECK else 0)
print("walkthrough: all checks passed" if CHECK else "walkthrough: done")
