#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_gemm.cpp into tests/fuzz/corpus/.

Each seed is encoded in the input layout that fuzz_gemm.cpp's parse() reads (keep the two in
step); data not given comes from the target's splitmix64 stream, so the seeds stay small.
Run from anywhere: python3 tests/fuzz/make_corpus.py
"""
import os
import struct

STAGES = ["int32", "fixed_s8", "fixed_u8", "float_scale_s8", "float_scale_u8", "float32"]
PATTERNS = {"input": 0, "all_min": 4, "all_max": 5, "alternating": 6, "small": 7}
CORRUPTIONS = [
    "a_rows_negative", "a_ld_small", "a_data_null", "a_cols_not_k", "ld_overflow",
    "za_out_of_range", "za_channel_out_of_range", "zb_out_of_range", "zb_channel_out_of_range",
    "b_ld_small", "b_rows_negative", "b_data_null", "b_layout_bogus", "c_rows_mismatch",
    "c_cols_mismatch", "c_ld_small", "c_data_null", "out_zero_point_out_of_range",
    "out_min_out_of_range", "out_max_out_of_range", "out_min_above_max", "multiplier_m0",
    "multiplier_shift", "multiplier_channel", "scale_tensor", "scale_channel", "a_scale_tensor",
    "a_scale_row", "b_scale_tensor", "b_scale_column", "bias_f_not_finite", "out_kind_bogus",
    "packed_for_another_path",
]


_seed = 0  # the fill seed of the next seed that gives none


def in_range(v, lo, hi):
    if v == lo:
        return [0]
    if v == hi:
        return [48]
    return [96, v - lo]


def multiplier(m0, shift):
    # m0 = 0 decodes as QuantizedMultiplier::zero() = (0, -31), whatever the shift byte.
    if m0 == 0:
        sel = [0]
    elif m0 == 1 << 30:
        sel = [1]
    elif m0 == 2**31 - 1:
        sel = [2]
    else:
        sel = [3] + list(struct.pack("<I", m0 & ((1 << 30) - 1)))
    s = -shift if shift <= 0 else 192 + (shift + 31 - 192 % 62) % 62
    return sel + [s]


def scale(f):
    return [3] + list(struct.pack("<f", f))


def bias32(v):
    return [2] + list(struct.pack("<i", v))


def bias_f(f):
    return [3] + list(struct.pack("<f", f))


def encode(m, n, k, stage, a_signed=False, nk=False, za=0, zb=0, za_values=None, zb_values=None,
           bias=None, per_channel=False, mult=(1 << 30, -8), mults=None, scl=0.01, scls=None,
           a_scl=0.5, a_scls=None, zp=0, clamp=None, pads=(0, 0, 0), seed=None, a_pat="input",
           b_pat="input", data=b"", corruption=None, arg=0):
    global _seed
    if seed is None:
        _seed += 1
        seed = _seed
    if k > 128:
        assert m <= 8 and n <= 8 and k <= 2000, "a deep seed has M, N <= 8, K <= 2000"
        size_class = 31
    elif m > 16 or n > 16 or k > 64:
        assert m <= 64 and n <= 64, "a medium seed has M, N <= 64, K <= 128"
        size_class = 30
    else:
        size_class = 0
    mode = size_class << 3 | (7 if corruption else 0)
    out = [mode, m, n] + list(struct.pack("<H", k))
    out += [0 if p == 0 else 160 + (p - 160 % 70) % 70 for p in pads]
    a_lo, a_hi = (-128, 127) if a_signed else (0, 255)
    za_zero = za == 0 and za_values is None
    flags = (a_signed * 1 | nk * 2 | (za_values is not None) * 4 | (zb_values is not None) * 8
             | (bias is not None) * 16 | per_channel * 32 | (clamp is not None) * 64
             | za_zero * 128)
    out.append(flags)
    if not za_zero:
        out += in_range(za, a_lo, a_hi)
    out += in_range(zb, -128, 127)
    out.append(STAGES.index(stage))
    if corruption:
        out += [CORRUPTIONS.index(corruption), arg]
    for v in za_values or []:
        out += in_range(v, a_lo, a_hi)
    for v in zb_values or []:
        out += in_range(v, -128, 127)
    for v in bias or []:
        out += bias_f(v) if stage == "float32" else bias32(v)
    if stage.startswith("fixed"):
        out += multiplier(*mult)
        for mm in mults or []:
            out += multiplier(*mm)
    elif stage.startswith("float_scale"):
        out += scale(scl)
        for s in scls or []:
            out += scale(s)
    elif stage == "float32":
        out += scale(a_scl) + scale(scl)
        for s in (a_scls or []) + (scls or []):
            out += scale(s)
    if stage != "int32" and stage != "float32":
        lo, hi = (-128, 127) if stage.endswith("s8") else (0, 255)
        out += in_range(zp, lo, hi)
        if clamp is not None:
            out += in_range(clamp[0], lo, hi) + in_range(clamp[1], lo, hi)
    out += list(struct.pack("<I", seed)) + [PATTERNS[a_pat], PATTERNS[b_pat]]
    return bytes(out) + data


def seeds():
    per_n = lambda n, f: [f(j) for j in range(n)]
    yield "int32_dense", encode(7, 13, 31, "int32", bias=per_n(13, lambda j: j * 1000 - 6000))
    yield "int32_padded_nk", encode(33, 31, 65, "int32", a_signed=True, nk=True, za=-128, zb=127,
                                    pads=(5, 9, 17))
    yield "int32_extremes_u8", encode(3, 17, 63, "int32", za=255, zb=-128, a_pat="all_max",
                                      b_pat="all_min")
    yield "int32_alternating", encode(16, 32, 127, "int32", a_signed=True, za=-128, zb=-128,
                                      a_pat="alternating", b_pat="alternating")
    yield "int32_big_k", encode(5, 8, 1999, "int32", za_values=[0, 255, 17, 128, 255],
                                zb_values=per_n(8, lambda j: 127 if j % 2 else -128))
    yield "fixed_s8_per_channel", encode(
        13, 33, 125, "fixed_s8", a_signed=True, nk=True, per_channel=True,
        mults=per_n(33, lambda j: (1 << 30, -(j % 32))), bias=per_n(33, lambda j: 7 * j), zp=-5)
    yield "fixed_u8_relu", encode(31, 7, 45, "fixed_u8", zb=3, mult=(1518500250, -9), zp=128,
                                  clamp=(128, 255), pads=(0, 0, 3))
    yield "fixed_u8_left_shift", encode(3, 5, 7, "fixed_u8", mult=(2**31 - 1, 30), zp=0,
                                        a_pat="small", b_pat="small")
    yield "fixed_s8_multiplier_zero", encode(4, 20, 8, "fixed_s8", mult=(0, 0), zp=127)  # zero()
    # Regression: y = zp + MultiplyByQuantizedMultiplier(INT32_MAX, {INT32_MAX, 0}) wrapped
    # past INT32_MAX in the SIMD epilogues (oracle 127, avx2/avx512 gave -128).
    yield "regression_fixed_point_zero_point_wrap", encode(
        1, 1, 1, "fixed_s8", a_signed=True, bias=[2**31 - 1], mult=(2**31 - 1, 0), zp=2,
        data=b"\x00\x00")
    # Regression: N = 0 in the one-call form divided by zero (SIGFPE) counting B's panels.
    yield "regression_one_call_n_zero", encode(1, 0, 1, "int32", data=b"\x01")
    yield "float_scale_s8", encode(9, 64, 100, "float_scale_s8", nk=True, scl=1 / 3000,
                                   bias=per_n(64, lambda j: -j * 311), zp=-100)
    yield "float_scale_u8_extreme", encode(
        6, 11, 50, "float_scale_u8", per_channel=True, a_pat="all_max", b_pat="all_min",
        scls=per_n(11, lambda j: [3.4028235e38, 1e-45, 1.17549435e-38, 0.5, 1e-3][j % 5]), zp=7)
    yield "float32_per_row", encode(17, 19, 23, "float32", per_channel=True,
                                    a_scls=per_n(17, lambda i: 2.0**-i),
                                    scls=per_n(19, lambda j: 0.001 * (j + 1)),
                                    bias=per_n(19, lambda j: j - 9.5))
    # Outputs that overflow float with a finite multiplier (FLT_MAX * 1).
    yield "float32_overflow", encode(2, 3, 300, "float32", a_scl=3.4028235e38, scl=1.0,
                                     a_pat="all_max", bias=[3.4028235e38, -1.0, 0.0])
    yield "empty_k", encode(5, 19, 0, "fixed_s8", bias=per_n(19, lambda j: j * 50), zp=1)
    yield "empty_m", encode(0, 19, 10, "int32")
    yield "invalid_zero_point", encode(3, 4, 5, "int32", corruption="za_out_of_range", arg=1)
    yield "invalid_multiplier_channel", encode(3, 4, 5, "fixed_u8", corruption="multiplier_channel",
                                               arg=2)
    yield "invalid_scale", encode(2, 2, 2, "float32", corruption="b_scale_column", arg=13)
    yield "invalid_c_ld", encode(8, 8, 8, "int32", corruption="c_ld_small", arg=3)
    yield "invalid_foreign_packed_b", encode(4, 4, 4, "int32",
                                             corruption="packed_for_another_path")
    # a_scale * b_scale = FLT_MAX * 2 is infinite: refused (0 * inf would be NaN).
    yield "float32_scale_product_overflow", encode(2, 3, 30, "float32", a_scl=3.4028235e38,
                                                   scl=2.0)
    # Regression (the fuzzer's find): K = 0 with a B zero point and M = 16 on avx2's 6-row int16
    # panels: packing A added row sums for a panel's padding rows, past the row terms.
    yield "regression_k0_padding_rows_row_sums", encode(16, 60, 0, "int32", a_signed=True, nk=True,
                                                        za=-128, zb=-128)


def main():
    corpus = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(corpus, exist_ok=True)
    for name, data in seeds():
        with open(os.path.join(corpus, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
