"""The Python module's gemm: every available path, every output stage and zero-point kind,
packed and unpacked, int8 and uint8 A, both B layouts, bit-exact against numpy's int64
reference (numpy_reference.py); arrays read and written in place; argument errors; the GIL."""

import itertools
import threading
import time

import numpy as np
import pytest

import i8gemm
import numpy_reference as ref

PATHS = i8gemm.available_paths()
RNG = np.random.default_rng(16)


def random_int8(shape, dtype=np.int8):
    info = np.iinfo(dtype)
    return RNG.integers(info.min, info.max + 1, size=shape, dtype=np.int64).astype(dtype)


class Problem:
    """A, B (both layouts), zero points per tensor or per channel, stage parameters."""

    def __init__(self, m, n, k, a_dtype, per_channel):
        self.m, self.n, self.k = m, n, k
        self.a = random_int8((m, k), a_dtype)
        self.b_kn = random_int8((k, n))
        lo, hi = (-128, 127) if a_dtype == np.int8 else (0, 255)
        if per_channel:
            self.za = RNG.integers(lo, hi + 1, size=m).astype(np.int32)
            self.zb = RNG.integers(-128, 128, size=n).astype(np.int32)
        else:
            self.za = int(RNG.integers(lo, hi + 1))
            self.zb = int(RNG.integers(-128, 128))
        self.bias = RNG.integers(-50000, 50000, size=n).astype(np.int32)
        self.bias_f = (RNG.integers(-100, 100, size=n) / 8.0).astype(np.float32)
        self.multipliers = [float(v) for v in RNG.uniform(1e-5, 3e-4, size=n)]
        self.scales = RNG.uniform(1e-5, 3e-4, size=n).astype(np.float32)
        self.a_scales = RNG.uniform(1e-3, 1e-2, size=m).astype(np.float32)
        self.b_scales = RNG.uniform(1e-3, 1e-2, size=n).astype(np.float32)
        self.acc = ref.accumulate(self.a, self.za, self.b_kn, self.zb)

    def b(self, layout):
        return self.b_kn if layout == "kn" else np.ascontiguousarray(self.b_kn.T)


def stages(p, per_channel):
    """(stage, expected C) for every output stage on problem p."""
    out = [(i8gemm.OutputInt32(), p.acc), (i8gemm.OutputInt32(bias=p.bias), ref.wrap32(p.acc + p.bias))]
    qm = [i8gemm.quantize_multiplier(m) for m in p.multipliers]
    m0 = np.array([q.m0 for q in qm]) if per_channel else qm[0].m0
    shift = np.array([q.shift for q in qm]) if per_channel else qm[0].shift
    for dtype, zy, lo, hi in (("int8", -5, -128, 127), ("uint8", 130, 0, 255)):
        multiplier = p.multipliers if per_channel else p.multipliers[0]
        stage = i8gemm.OutputFixedPoint(multiplier, dtype=dtype, bias=p.bias, zero_point=zy, min=zy)
        out.append((stage, ref.fixed_point_stage(p.acc, p.bias, m0, shift, zy, zy, hi)))
        scale = p.scales if per_channel else float(p.scales[0])
        stage = i8gemm.OutputFloatScale(scale, dtype=dtype, zero_point=zy, max=hi - 3)
        out.append((stage, ref.float_scale_stage(p.acc, None, scale, zy, lo, hi - 3)))
    a_scale = p.a_scales if per_channel else float(p.a_scales[0])
    b_scale = p.b_scales if per_channel else float(p.b_scales[0])
    stage = i8gemm.OutputFloat(a_scale=a_scale, b_scale=b_scale, bias=p.bias_f)
    out.append((stage, ref.float_stage(p.acc, a_scale, b_scale, p.bias_f)))
    stage = i8gemm.OutputFloat(a_scale=a_scale, b_scale=b_scale, min=-2.5, max=4.0)  # clamped
    out.append((stage, ref.float_stage(p.acc, a_scale, b_scale, None, -2.5, 4.0)))
    return out


def assert_same(got, want, what):
    assert got.shape == want.shape, what
    if got.dtype == np.float32:
        assert np.array_equal(got.view(np.int32), np.asarray(want, np.float32).view(np.int32)), what
    else:
        assert np.array_equal(got.astype(np.int64), want), what


@pytest.mark.parametrize("isa", PATHS)
@pytest.mark.parametrize("a_dtype", [np.int8, np.uint8], ids=["s8", "u8"])
@pytest.mark.parametrize("per_channel", [False, True], ids=["tensor", "channel"])
def test_every_stage_bit_exact(isa, a_dtype, per_channel):
    ctx = i8gemm.Context(isa=isa)
    assert ctx.isa == isa
    p = Problem(19, 37, 70, a_dtype, per_channel)
    for layout in ("kn", "nk"):
        packed = i8gemm.PackedB(p.b(layout), layout=layout, zero_point=p.zb, ctx=ctx)
        assert (packed.k, packed.n, packed.isa) == (p.k, p.n, isa)
        assert np.array_equal(packed.column_sums, p.b_kn.astype(np.int64).sum(axis=0))
        for stage, want in stages(p, per_channel):
            what = f"{isa} {layout} {stage!r}"
            got = ctx.gemm(p.a, packed, stage, a_zero_point=p.za)
            assert_same(got, want, what + " packed")
            assert ctx.last_used_path == isa
            got = ctx.gemm(p.a, p.b(layout), stage, a_zero_point=p.za, b_zero_point=p.zb,
                           b_layout=layout)
            assert_same(got, want, what + " unpacked")
            if not per_channel:  # a PreparedGemm takes A's zero point and a_scale per tensor
                layer = i8gemm.PreparedGemm(packed, stage, a_dtype=np.dtype(a_dtype).name,
                                            a_zero_point=p.za, ctx=ctx)
                assert (layer.k, layer.n) == (p.k, p.n)
                assert_same(layer.run(p.a), want, what + " prepared")
                assert_same(layer.run(p.a[:5]), want[:5], what + " prepared, 5 rows")


@pytest.mark.parametrize("isa", PATHS)
def test_shapes_and_edge_values(isa):
    """Edge tiles, K = 0, single rows and columns, extreme values and zero points."""
    ctx = i8gemm.Context(isa=isa)
    for m, n, k in [(1, 1, 1), (1, 65, 300), (33, 1, 17), (4, 5, 0), (0, 7, 3), (67, 130, 257)]:
        for a_dtype, za, zb in [(np.int8, -128, 127), (np.uint8, 255, -128), (np.int8, 0, 0)]:
            a = np.full((m, k), np.iinfo(a_dtype).min, dtype=a_dtype)
            b = np.full((k, n), 127, dtype=np.int8)
            a[::2] = np.iinfo(a_dtype).max
            want = ref.accumulate(a, za, b, zb)
            got = ctx.gemm(a, b, a_zero_point=za, b_zero_point=zb)
            assert_same(got, want, f"{isa} {m}x{n}x{k} {a_dtype.__name__}")


def test_threads_give_the_same_bits():
    p = Problem(130, 70, 90, np.uint8, True)
    stage = i8gemm.OutputFixedPoint(p.multipliers, dtype="uint8", bias=p.bias, zero_point=7)
    one = i8gemm.Context(threads=1).gemm(p.a, p.b_kn, stage, a_zero_point=p.za, b_zero_point=p.zb)
    ctx = i8gemm.Context(threads=3)
    assert ctx.threads == 3
    three = ctx.gemm(p.a, p.b_kn, stage, a_zero_point=p.za, b_zero_point=p.zb)
    assert np.array_equal(one, three)


def test_module_gemm_and_default_context():
    p = Problem(5, 6, 7, np.int8, False)
    got = i8gemm.gemm(p.a, p.b_kn, a_zero_point=p.za, b_zero_point=p.zb)
    assert_same(got, p.acc, "i8gemm.gemm")
    assert i8gemm.default_path() in PATHS
    assert set(PATHS) <= set(i8gemm.built_paths()) <= set(i8gemm.all_paths())
    assert "scalar" in PATHS
    ctx = i8gemm.Context()
    assert ctx.isa == i8gemm.default_path()
    ctx.isa = "scalar"
    assert repr(ctx) == "Context(isa='scalar', threads=1)"
    for name in i8gemm.all_paths():
        assert (name in PATHS) == (i8gemm.unavailable_reason(name) == "")


# ---------------------------------------------------------------------------------------------
# In place: no copies where the layout allows
# ---------------------------------------------------------------------------------------------


def address(a):
    return a.__array_interface__["data"][0]


def test_row_strided_inputs_are_read_in_place():
    big = random_int8((40, 50))
    for view in (big, big[3:30], big[:, :20], big[::3], big[5:25:2, 7:19], big[:1, 4:9]):
        ptr, ld, copied = i8gemm._i8gemm._input_view(view, "int8")
        assert not copied, view.strides
        assert ptr == address(view)
        assert view.shape[0] <= 1 or ld * 1 == view.strides[0]
    for view in (big.T, np.asfortranarray(big), big[:, ::2], big[::-1]):
        ptr, ld, copied = i8gemm._i8gemm._input_view(view, "int8")
        assert copied and ld == view.shape[1], view.strides
    # float32: the element stride must be 4 bytes, and rows aligned.
    f = np.zeros((6, 9), dtype=np.float32)
    assert not i8gemm._i8gemm._input_view(f[1:5, 2:7], "float32")[2]
    assert i8gemm._i8gemm._input_view(f[:, ::2], "float32")[2]


def test_strided_operands_compute_and_output_is_written_in_place():
    a_big = random_int8((30, 64), np.uint8)
    b_big = random_int8((64, 48))
    a = a_big[2:25:2, 5:45]  # rows strided, a column slice
    b = b_big[10:50, 3:40]
    want = ref.accumulate(a, 3, b, -1)
    for isa in PATHS:
        c_big = np.full((20, 50), -7, dtype=np.int32)
        c = c_big[4:16, 6:43]
        result = i8gemm.Context(isa=isa).gemm(a, b, a_zero_point=3, b_zero_point=-1, out=c)
        assert result is c
        assert_same(c, want, isa)
        # Everything around the output view is untouched.
        c_big[4:16, 6:43] = -7
        assert (c_big == -7).all()
        # Fortran-ordered and transposed inputs are copied, with the same result.
        got = i8gemm.gemm(np.asfortranarray(a), np.asfortranarray(b), a_zero_point=3,
                          b_zero_point=-1, ctx=i8gemm.Context(isa=isa))
        assert_same(got, want, isa + " fortran")
    # Read-only inputs are fine.
    a_ro = a.copy()
    a_ro.flags.writeable = False
    assert_same(i8gemm.gemm(a_ro, b, a_zero_point=3, b_zero_point=-1), want, "read-only a")


# ---------------------------------------------------------------------------------------------
# Errors name the argument; nothing is written
# ---------------------------------------------------------------------------------------------


def test_argument_errors():
    ctx = i8gemm.Context(isa="scalar")
    a = random_int8((4, 6))
    b = random_int8((6, 5))
    out = np.full((4, 5), 42, dtype=np.int8)
    fp = i8gemm.OutputFixedPoint(0.01)
    pb = i8gemm.PackedB(b, ctx=ctx)
    cases = [
        (lambda: ctx.gemm(a.astype(np.float32), b), "a: dtype float32 is not int8 or uint8"),
        (lambda: ctx.gemm(a, b.astype(np.uint8)), "b: dtype uint8 is not int8"),
        (lambda: ctx.gemm(a[:, :5], b), "a: shape (4, 5) has K = 5 columns, but b has K = 6"),
        (lambda: ctx.gemm(a.reshape(-1), b), "a: expected a 2-D array"),
        (lambda: ctx.gemm(a, b, a_zero_point=128), "a_zero_point: 128 is outside [-128, 127]"),
        (lambda: ctx.gemm(a, b, a_zero_point=2**40), "a_zero_point: 1099511627776 does not fit"),
        (lambda: ctx.gemm(a, b, a_zero_point=[1, 2]), "a_zero_point: 2 values, expected 4"),
        (lambda: ctx.gemm(a, b, b_zero_point=[0, 0, 300, 0, 0]), "b_zero_point[2]: 300"),
        (lambda: ctx.gemm(a, b, b_zero_point=np.zeros(5)), "b_zero_point: dtype float64"),
        (lambda: ctx.gemm(a, b, b_layout="kk"), "b_layout: 'kk' is not 'kn'"),
        (lambda: ctx.gemm(a, b, fp, out=out[:, :4]), "out: shape (4, 4) is not (M, N) = (4, 5)"),
        (lambda: ctx.gemm(a, b, fp, out=out.astype(np.uint8)), "out: dtype uint8 is not int8"),
        (lambda: ctx.gemm(a, b, out=out), "out: dtype int8 is not int32"),
        (lambda: ctx.gemm(a, b, fp, out=np.zeros((5, 4), np.int8).T), "out: cannot be written"),
        (lambda: ctx.gemm(a, b, "int8"), "stage: 'int8' is not an output stage"),
        (lambda: ctx.gemm(a, b, i8gemm.OutputInt32(bias=[1, 2])), "bias: 2 values, expected N = 5"),
        (lambda: ctx.gemm(a, b, i8gemm.OutputFixedPoint([0.1] * 4)), "multiplier: 4 values"),
        (lambda: ctx.gemm(a, b, i8gemm.OutputFixedPoint(0.1, zero_point=200)), "zero_point: 200"),
        (lambda: ctx.gemm(a, b, i8gemm.OutputFixedPoint(0.1, min=10, max=5)), "min: 10 is greater"),
        (lambda: ctx.gemm(a, b, i8gemm.OutputFloat(a_scale=[1.0] * 3)), "a_scale: 3 values, expected M"),
        (lambda: ctx.gemm(a, b, i8gemm.OutputFloatScale([1.0] * 6)), "scale: 6 values, expected N"),
        (lambda: i8gemm.OutputFloatScale(-1.0), "scale: -1.0 is not a finite positive"),
        (lambda: i8gemm.OutputFloatScale([1.0, float("nan")]), "scale[1]: nan"),
        (lambda: i8gemm.OutputFloat(bias=[1.0, float("inf")]), "bias[1]: inf is not finite"),
        (lambda: i8gemm.OutputFixedPoint(0.1, dtype="int16"), "dtype: int16 is not int8 or uint8"),
        (lambda: i8gemm.OutputFixedPoint(-1e-40), "multiplier: -1e-40 is negative"),
        (lambda: i8gemm.OutputFixedPoint([0.5, 1e-12]), "multiplier[1]: 1e-12 is below 2^-32"),
        (lambda: i8gemm.OutputFixedPoint("x"), "multiplier: 'x' is not a real number"),
        (lambda: i8gemm.OutputInt32(bias=[2**31]), "bias: values in [2147483648, 2147483648]"),
        (lambda: i8gemm.Context(isa="bogus"), "isa: unknown path 'bogus'"),
        (lambda: i8gemm.Context(threads=0), "threads: 0 is less than 1"),
        (lambda: i8gemm.PackedB(b, layout="xy"), "layout: 'xy' is not 'kn'"),
        (lambda: ctx.gemm(a, i8gemm.PackedB(b, ctx=ctx), b_zero_point=1), "b_zero_point: b is a PackedB"),
        (lambda: i8gemm.PreparedGemm(b), "b: array"),
        (lambda: i8gemm.PreparedGemm(pb, a_zero_point=[1, 2, 3, 4]), "a_zero_point: one per row"),
        (lambda: i8gemm.PreparedGemm(pb, i8gemm.OutputFloat(a_scale=[1.0] * 4)), "a_scale: one per row"),
        (lambda: i8gemm.PreparedGemm(pb, a_dtype="int16"), "a_dtype: 'int16' is not"),
        (lambda: i8gemm.PreparedGemm(pb, a_zero_point=200, ctx=ctx), "a_zero_point: 200 is outside"),
        (lambda: i8gemm.PreparedGemm(pb, i8gemm.OutputFixedPoint(0.1, zero_point=200), ctx=ctx), "zero_point: 200"),
        (lambda: i8gemm.PreparedGemm(pb, i8gemm.OutputInt32(bias=[1, 2]), ctx=ctx), "bias: 2 values, expected N"),
        (lambda: i8gemm.PreparedGemm(pb, ctx=ctx).run(a[:, :5]), "a: shape (4, 5) has K = 5"),
        (lambda: i8gemm.PreparedGemm(pb, fp, ctx=ctx).run(a, out=out[:, :4]), "out: shape (4, 4)"),
        (lambda: i8gemm.PreparedGemm(pb, ctx=i8gemm.Context(isa="generic")), "b: packed for path"),
        (lambda: i8gemm.quantize_multiplier(float("nan")), "multiplier: nan is not a number"),
        (lambda: i8gemm.quantize_multiplier(2.0**30), "multiplier: 1.07374e+09 is at least 2^30"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError) as info:
            call()
        assert message in str(info.value), (message, str(info.value))
    assert (out == 42).all()


def test_unavailable_and_foreign_paths_are_refused():
    missing = [name for name in i8gemm.all_paths() if name not in PATHS]
    for name in missing:
        with pytest.raises(ValueError, match=f"isa: path {name} cannot run here"):
            i8gemm.Context(isa=name)
    a, b = random_int8((3, 4)), random_int8((4, 5))
    packed = i8gemm.PackedB(b, ctx=i8gemm.Context(isa="scalar"))
    for name in PATHS:
        if name != "scalar":
            with pytest.raises(ValueError, match="packed for path scalar"):
                i8gemm.Context(isa=name).gemm(a, packed)


def test_no_silent_zero_multiplier():
    a, b = random_int8((3, 4)), random_int8((4, 5))
    unset = i8gemm.QuantizedMultiplier(0, 0)
    with pytest.raises(ValueError, match=r"multiplier\.m0: 0 \(shift 0\) is not set"):
        i8gemm.gemm(a, b, i8gemm.OutputFixedPoint(unset))
    good = i8gemm.quantize_multiplier(0.01)
    with pytest.raises(ValueError, match=r"multiplier\[2\]\.m0: 0"):
        i8gemm.gemm(a, b, i8gemm.OutputFixedPoint([good, good, unset, good, good]))
    zero = i8gemm.quantize_multiplier(0.0)
    assert zero == i8gemm.QuantizedMultiplier.zero() and zero.is_zero and zero.value == 0.0
    y = i8gemm.gemm(a, b, i8gemm.OutputFixedPoint(0.0, zero_point=-3))
    assert (y == -3).all()
    assert i8gemm.quantize_multiplier(0.25).value == 0.25


def test_context_refuses_a_second_thread():
    """A Context serves one call at a time; with the GIL released, a second thread's call on the
    same Context is refused rather than corrupting it."""
    ctx = i8gemm.Context(isa="scalar")
    a, b = random_int8((700, 700)), random_int8((700, 700))
    started = threading.Event()

    def long_call():
        started.set()
        ctx.gemm(a, b)

    worker = threading.Thread(target=long_call)
    worker.start()
    started.wait()
    time.sleep(0.05)
    refused = worker.is_alive()
    if refused:
        with pytest.raises(RuntimeError, match="another thread"):
            ctx.gemm(a[:2], b)
    worker.join()
    assert refused, "the long call ended before the second one: make it longer"
    ctx.gemm(a[:2], b)  # free again


def test_gil_is_released_during_the_multiply():
    """While one thread multiplies, another keeps running Python: the longest pause of the
    second thread is far below the duration of the call."""
    ctx = i8gemm.Context(isa="scalar")
    a, b = random_int8((600, 600)), random_int8((600, 600))
    t0 = time.perf_counter()
    ctx.gemm(a, b)
    alone = time.perf_counter() - t0
    done = threading.Event()

    def call():
        ctx.gemm(a, b)
        done.set()

    worker = threading.Thread(target=call)
    ticks = []
    worker.start()
    while not done.is_set():
        ticks.append(time.perf_counter())
    worker.join()
    gaps = np.diff(ticks) if len(ticks) > 1 else np.array([alone])
    assert len(ticks) > 100, len(ticks)
    assert gaps.max() < alone / 2, (gaps.max(), alone)
