"""The Python module's dynamic quantization (docs/math.md section 4): QuantizedWeights and
gemm_dynamic on every available path, bit for bit the composition of the documented steps
(parameters per row or per tensor, quantization, the integer product with the rows' zero points,
the float32 stage with bias and clamp), each of which the other suites hold to numpy."""

import numpy as np
import pytest

import i8gemm
import numpy_reference as ref

PATHS = i8gemm.available_paths()
RNG = np.random.default_rng(4)
W = (RNG.standard_normal((23, 70)) * np.linspace(0.05, 2.0, 23).reshape(-1, 1)).astype(np.float32)
A = (RNG.standard_normal((19, 70)) * 3 + 0.5).astype(np.float32)
BIAS = RNG.uniform(-1, 1, 23).astype(np.float32)


@pytest.mark.parametrize("isa", PATHS)
def test_gemm_dynamic_is_the_documented_composition(isa):
    ctx = i8gemm.Context(isa=isa)
    w = i8gemm.QuantizedWeights(W, layout="nk", ctx=ctx)
    assert (w.k, w.n, w.isa) == (70, 23, isa)
    # The weights: symmetric per output channel over [-127, 127].
    pw = i8gemm.choose_quant_params_rows(W, symmetric=True)
    assert np.array_equal(w.scales, np.array([p.scale for p in pw], np.float32))
    wq = i8gemm.quantize_rows(W, pw)
    for granularity in ("per_row", "per_tensor"):
        for dtype in ("int8", "uint8"):
            y, params = ctx.gemm_dynamic(A, w, granularity=granularity, activation_dtype=dtype,
                                         bias=BIAS, min=-3.0, max=5.0, return_params=True)
            assert ctx.last_used_path == isa
            signed = dtype == "int8"
            if granularity == "per_row":
                want_params = i8gemm.choose_quant_params_rows(A, signed=signed)
            else:
                want_params = [i8gemm.choose_quant_params(float(A.min()), float(A.max()),
                                                          signed=signed)]
            assert params == want_params
            rows = want_params * (A.shape[0] // len(want_params))
            aq = i8gemm.quantize_rows(A, rows, dtype=dtype)
            za = np.array([p.zero_point for p in rows], np.int32)
            sa = np.array([p.scale for p in rows], np.float32)
            stage = i8gemm.OutputFloat(a_scale=sa, b_scale=w.scales, bias=BIAS, min=-3.0, max=5.0)
            composed = ctx.gemm(aq, wq, stage, a_zero_point=za, b_layout="nk")
            numpy_y = ref.float_stage(ref.accumulate(aq, za, wq.T, 0), sa, w.scales, BIAS, -3.0, 5.0)
            what = f"{isa} {granularity} {dtype}"
            assert np.array_equal(y.view(np.int32), composed.view(np.int32)), what
            assert np.array_equal(y.view(np.int32), numpy_y.view(np.int32)), what
            # Close to the float layer, which is the point of it: within a few percent of the
            # layer's own magnitude (8-bit activations and weights).
            float_y = A @ W.T + BIAS
            error = np.abs(y - np.clip(float_y, -3.0, 5.0)).max()
            assert error < 0.03 * np.abs(float_y).max(), (what, error)


def test_gemm_dynamic_with_packed_b_and_out():
    ctx = i8gemm.Context()
    w = i8gemm.QuantizedWeights(W.T.copy(), layout="kn", ctx=ctx)
    want = ctx.gemm_dynamic(A, w)
    pw = i8gemm.choose_quant_params_columns(W.T.copy(), symmetric=True)
    packed = i8gemm.PackedB(i8gemm.quantize_columns(W.T.copy(), pw), ctx=ctx)
    out = np.full((19, 30), 7.0, np.float32)
    got = i8gemm.gemm_dynamic(A[:, :], packed, b_scales=w.scales, out=out[:, 3:26], ctx=ctx)
    assert got.base is out or np.shares_memory(got, out)
    assert np.array_equal(out[:, 3:26], want)
    assert (out[:, :3] == 7.0).all() and (out[:, 26:] == 7.0).all()


def test_gemm_dynamic_errors():
    ctx = i8gemm.Context(isa="scalar")
    w = i8gemm.QuantizedWeights(W, ctx=ctx)
    bad = A.copy()
    bad[4, 9] = np.nan
    cases = [
        (lambda: ctx.gemm_dynamic(bad, w), "a[4][9]: nan is not finite"),
        (lambda: ctx.gemm_dynamic(A[:, :69], w), "a: has K = 69 columns, but w has K = 70"),
        (lambda: ctx.gemm_dynamic(A, w, b_scales=[1.0] * 23), "b_scales: w is a QuantizedWeights"),
        (lambda: ctx.gemm_dynamic(A, i8gemm.PackedB(np.zeros((70, 23), np.int8), ctx=ctx)),
         "b_scales: needed with a PackedB"),
        (lambda: ctx.gemm_dynamic(A, w, granularity="per_col"), "granularity: 'per_col'"),
        (lambda: ctx.gemm_dynamic(A, w, activation_dtype="int16"), "activation_dtype: int16"),
        (lambda: ctx.gemm_dynamic(A, w, bias=[0.0] * 3), "bias: 3 values, expected 23"),
        (lambda: ctx.gemm_dynamic(A.astype(np.int32), w), "a: dtype int32 is not a floating-point"),
        (lambda: ctx.gemm_dynamic(A, "w"), "w: 'w' is not a QuantizedWeights or PackedB"),
        (lambda: i8gemm.QuantizedWeights(W, layout="nn"), "layout: 'nn' is not 'kn'"),
        (lambda: i8gemm.Context(isa="generic").gemm_dynamic(A, w), "packed for path scalar"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError) as info:
            call()
        assert message in str(info.value), (message, str(info.value))
