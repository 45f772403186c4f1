"""docs/math.md in numpy, written independently of the library: the int64 product with zero
points, the output stages (gemmlowp's fixed-point primitives, the fp32 requantization, the
dequantized float32) and the quantization formulas. The tests hold i8gemm to these bits."""

import numpy as np

INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1


def wrap32(v):
    """Two's-complement wrap of int64 values into int32 (what int32 accumulation gives)."""
    return ((np.asarray(v, dtype=np.int64) + 2**31) % 2**32 - 2**31).astype(np.int64)


def accumulate(a, za, b, zb):
    """acc[i, j] = sum_k (A[i, k] - za_i)(B[k, j] - zb_j) in int64, then wrapped to int32.
    a: M x K, b: K x N; za: scalar or M values; zb: scalar or N values."""
    a64 = a.astype(np.int64) - np.asarray(za, dtype=np.int64).reshape(-1, 1)
    b64 = b.astype(np.int64) - np.asarray(zb, dtype=np.int64).reshape(1, -1)
    return wrap32(a64 @ b64)


def srdhm(a, b):
    """gemmlowp's SaturatingRoundingDoublingHighMul (nudge, then division truncating toward 0)."""
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    ab = a * b
    nudge = np.where(ab >= 0, 1 << 30, 1 - (1 << 30))
    s = ab + nudge
    q = np.where(s >= 0, s // (1 << 31), -((-s) // (1 << 31)))
    return np.where((a == INT32_MIN) & (b == INT32_MIN), INT32_MAX, q)


def rounding_divide_by_pot(x, exponent):
    """x / 2^exponent rounded to nearest, ties away from zero."""
    x = np.asarray(x, dtype=np.int64)
    exponent = np.asarray(exponent, dtype=np.int64)
    mask = (np.int64(1) << exponent) - 1
    remainder = x & mask
    threshold = (mask >> 1) + (x < 0)
    return (x >> exponent) + (remainder > threshold)


def multiply_by_quantized_multiplier(x, m0, shift):
    """TensorFlow Lite's MultiplyByQuantizedMultiplier with a saturating left shift."""
    shift = np.asarray(shift, dtype=np.int64)
    left = np.maximum(shift, 0)
    right = np.maximum(-shift, 0)
    shifted = np.clip(np.asarray(x, dtype=np.int64) << left, INT32_MIN, INT32_MAX)
    return rounding_divide_by_pot(srdhm(shifted, m0), right)


def fixed_point_stage(acc, bias, m0, shift, zero_point, lo, hi):
    """zY + MultiplyByQuantizedMultiplier(acc + bias[j], m[j]), clamped to [lo, hi]."""
    v = wrap32(acc + (0 if bias is None else np.asarray(bias, dtype=np.int64)))
    y = zero_point + multiply_by_quantized_multiplier(v, m0, shift)
    return np.clip(y, lo, hi)


def float_scale_stage(acc, bias, scale, zero_point, lo, hi):
    """zY + round_half_even(float32(acc + bias[j]) * scale[j]) in fp32, clamped."""
    v = wrap32(acc + (0 if bias is None else np.asarray(bias, dtype=np.int64)))
    product = v.astype(np.float32) * np.asarray(scale, dtype=np.float32)
    y = np.rint(product).astype(np.float64) + zero_point
    return np.clip(y, lo, hi).astype(np.int64)


def float_stage(acc, a_scale, b_scale, bias, lo=-np.inf, hi=np.inf):
    """clamp((a_scale[i] * b_scale[j]) * float32(acc) + bias[j], lo, hi), fp32 (no FMA)."""
    scale = np.asarray(a_scale, dtype=np.float32).reshape(-1, 1) * np.asarray(
        b_scale, dtype=np.float32
    ).reshape(1, -1)
    y = scale * acc.astype(np.float32)
    if bias is not None:
        y = y + np.asarray(bias, dtype=np.float32)
    return np.minimum(np.maximum(y, np.float32(lo)), np.float32(hi))


def quantize(x, scale, zero_point, qmin, qmax):
    """clamp(round_half_even(x * (1 / s) + z), qmin, qmax), fp32 with 1 / s rounded once; NaN
    as 0. Broadcasts: per row, pass column vectors; per column, row vectors."""
    x = np.nan_to_num(np.asarray(x, dtype=np.float32), nan=0.0, posinf=np.inf, neginf=-np.inf)
    inv = np.float32(1.0) / np.asarray(scale, dtype=np.float32)
    v = np.rint(x * inv + np.asarray(zero_point, dtype=np.float32))
    return np.clip(v.astype(np.float64), qmin, qmax).astype(np.int64)


def dequantize(q, scale, zero_point):
    """scale * float32(q - z), one rounding of the exact difference."""
    diff = np.asarray(q, dtype=np.int64) - np.asarray(zero_point, dtype=np.int64)
    return np.asarray(scale, dtype=np.float32) * diff.astype(np.float32)
