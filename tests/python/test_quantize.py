"""The Python module's quantization utilities against docs/math.md's formulas in numpy
(numpy_reference.py), per tensor, per row and per column, 2 to 32 bits, restricted and full
symmetric ranges, the int32 bias; on every available path (each in a process with I8GEMM_ISA
set, the way the quantization functions follow the default path)."""

import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest

import i8gemm
import numpy_reference as ref

RNG = np.random.default_rng(8)
X = (RNG.standard_normal((23, 37)) * np.linspace(0.1, 10.0, 37)).astype(np.float32)


def test_worked_examples_of_math_md():
    p = i8gemm.choose_quant_params_range(-5.0, 10.0, -30, 50)
    assert (p.scale, p.zero_point) == (0.1875, -3)
    p = i8gemm.choose_quant_params(-2.0, 3.0)
    assert p == i8gemm.QuantParams(np.float32(5.0) / np.float32(255.0), -26, -128, 127)
    p = i8gemm.choose_quant_params(-100.0, 200.0)
    assert i8gemm.quantize(np.array([10.0], np.float32), p).tolist() == [-34]


def reference_params(lo, hi, bits, signed, symmetric, full=False):
    """math.md section 1 in numpy float32."""
    f = np.float32
    if symmetric:
        qmax = 2 ** (bits - 1) - 1
        qmin = -qmax - 1 if full else -qmax
        levels = f(qmax - qmin) / f(2) if full else f(qmax)
        amax = max(abs(f(lo)), abs(f(hi)))
        return (f(1) if amax == 0 else amax / levels), 0, qmin, qmax
    qmin, qmax = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2**bits - 1)
    lo, hi = min(f(lo), f(0)), max(f(hi), f(0))
    scale = (hi - lo) / f(qmax - qmin)
    zero_point = int(np.clip(np.rint(f(qmin) - lo / scale), qmin, qmax))
    return scale, zero_point, qmin, qmax


@pytest.mark.parametrize("bits", [2, 3, 5, 8, 12, 16, 17, 24, 31, 32])
def test_choose_quant_params_every_width(bits):
    for signed, symmetric, full in [(True, False, False), (False, False, False),
                                    (True, True, False), (True, True, True)]:
        if not signed and bits == 32:
            with pytest.raises(ValueError, match="bits = 32 with signed = false"):
                i8gemm.choose_quant_params(-1.0, 3.0, bits=bits, signed=False)
            continue
        p = i8gemm.choose_quant_params(-1.25, 3.5, bits=bits, signed=signed, symmetric=symmetric,
                                       symmetric_range="full" if full else "restricted")
        want = reference_params(-1.25, 3.5, bits, signed, symmetric, full)
        assert (np.float32(p.scale), p.zero_point, p.qmin, p.qmax) == want


@pytest.mark.parametrize("bits", [3, 8])
def test_per_tensor_row_column_bit_exact(bits):
    for signed, symmetric in [(True, False), (False, False), (True, True)]:
        spec = dict(bits=bits, signed=signed, symmetric=symmetric)
        # Per tensor.
        p = i8gemm.choose_quant_params(float(X.min()), float(X.max()), **spec)
        q = i8gemm.quantize(X, p)
        # The smallest storage type holding [qmin, qmax]: int8 unless unsigned 8 bits.
        assert q.dtype == (np.uint8 if not signed and bits == 8 else np.int8)
        assert q.shape == X.shape
        assert np.array_equal(q, ref.quantize(X, p.scale, p.zero_point, p.qmin, p.qmax))
        back = i8gemm.dequantize(q, p)
        assert np.array_equal(back, ref.dequantize(q, p.scale, p.zero_point))
        err = (back.astype(np.float64) - X) ** 2
        assert i8gemm.quantization_mse(X, p) == pytest.approx(err.mean(), rel=1e-12)
        # Per row and per column: each from its own min and max.
        for by_rows in (True, False):
            choose = i8gemm.choose_quant_params_rows if by_rows else i8gemm.choose_quant_params_columns
            params = choose(X, **spec)
            axis = 1 if by_rows else 0
            for i, pi in enumerate(params):
                line = X[i] if by_rows else X[:, i]
                assert pi == i8gemm.choose_quant_params(float(line.min()), float(line.max()), **spec)
            shape = (-1, 1) if by_rows else (1, -1)
            scale = np.array([pi.scale for pi in params], np.float32).reshape(shape)
            zp = np.array([pi.zero_point for pi in params]).reshape(shape)
            quant = i8gemm.quantize_rows if by_rows else i8gemm.quantize_columns
            deq = i8gemm.dequantize_rows if by_rows else i8gemm.dequantize_columns
            mse = i8gemm.quantization_mse_rows if by_rows else i8gemm.quantization_mse_columns
            q = quant(X, params)
            assert np.array_equal(q, ref.quantize(X, scale, zp, params[0].qmin, params[0].qmax))
            back = deq(q, params)
            assert np.array_equal(back, ref.dequantize(q, scale, zp))
            err = ((back.astype(np.float64) - X) ** 2).mean()
            assert mse(X, params) == pytest.approx(err, rel=1e-12)
            # Finer granularity never loses to per tensor on this data (columns of growing range).
            assert mse(X, params) <= i8gemm.quantization_mse(X, p) * (1.0 if axis == 0 else 1.5)


def test_wide_and_full_range():
    p = i8gemm.choose_quant_params(-2.0, 5.0, symmetric=True, symmetric_range="full")
    assert (p.qmin, p.qmax, p.zero_point) == (-128, 127, 0)
    assert np.float32(p.scale) == np.float32(5.0) / np.float32(127.5)
    q = i8gemm.quantize(np.array([-5.0, 5.0, 0.0], np.float32), p)
    assert q.tolist() == [-128, 127, 0]
    r = i8gemm.choose_quant_params(-2.0, 5.0, symmetric=True)
    assert i8gemm.quantize(np.array([-5.0], np.float32), r).tolist() == [-127]
    # 32 bits into int32, 16 bits into int16 / uint16 (the default storage fits the range).
    for bits, signed, dtype in [(32, True, np.int32), (24, True, np.int32), (16, True, np.int16),
                                (16, False, np.uint16), (31, False, np.int32)]:
        p = i8gemm.choose_quant_params(float(X.min()), float(X.max()), bits=bits, signed=signed)
        q = i8gemm.quantize(X, p)
        assert q.dtype == dtype
        assert np.array_equal(q, ref.quantize(X, p.scale, p.zero_point, p.qmin, p.qmax))
        back = i8gemm.dequantize(q, p)
        assert np.array_equal(back, ref.dequantize(q, p.scale, p.zero_point))
        bound = 0.5 * p.scale + float(X.max() - X.min()) * 2.0**-21  # half a step; fp32 beyond
        assert np.abs(back - X).max() <= bound, bits
    with pytest.raises(ValueError, match="does not fit the storage int8_t"):
        i8gemm.quantize(X, i8gemm.choose_quant_params(-1.0, 1.0, bits=9), dtype=np.int8)


def test_quantize_bias():
    bias = np.array([1.0, 0.0625, 0.1875, -0.3125, 1e10], np.float32)
    assert i8gemm.quantize_bias(bias, 0.5, 0.25).tolist() == [8, 0, 2, -2, 2**31 - 1]
    w = np.array([0.25, 0.25, 0.5, 0.25, 0.25], np.float32)
    q = i8gemm.quantize_bias(bias, 0.5, w)
    want = np.clip(np.rint(bias.astype(np.float64) / (0.5 * w.astype(np.float64))), -(2**31), 2**31 - 1)
    assert q.dtype == np.int32 and np.array_equal(q, want.astype(np.int64))
    with pytest.raises(ValueError, match="weight_scale: 2 values, expected 5"):
        i8gemm.quantize_bias(bias, 0.5, w[:2])
    with pytest.raises(ValueError, match=r"weight_scale\[1\] = 0 must be finite and > 0"):
        i8gemm.quantize_bias(bias, 0.5, np.array([1, 0, 1, 1, 1], np.float32))
    with pytest.raises(ValueError, match="input_scale = -1"):
        i8gemm.quantize_bias(bias, -1.0, 0.25)
    with pytest.raises(ValueError, match=r"bias\[0\] = nan is not finite"):
        i8gemm.quantize_bias([float("nan")], 1.0, 1.0)


def test_quantization_errors():
    with pytest.raises(ValueError, match="bits = 40 is outside 2..32"):
        i8gemm.choose_quant_params(0.0, 1.0, bits=40)
    with pytest.raises(ValueError, match="symmetric = true requires signed = true"):
        i8gemm.choose_quant_params(0.0, 1.0, signed=False, symmetric=True)
    with pytest.raises(ValueError, match="symmetric_range: 'half' is not 'restricted' or 'full'"):
        i8gemm.choose_quant_params(0.0, 1.0, symmetric=True, symmetric_range="half")
    with pytest.raises(ValueError, match="min = nan is not finite"):
        i8gemm.choose_quant_params(float("nan"), 1.0)
    params = i8gemm.choose_quant_params_rows(X)
    with pytest.raises(ValueError, match="params: 23 entries, expected columns of x = 37"):
        i8gemm.quantize_columns(X, params)
    with pytest.raises(ValueError, match="x: dtype int64 is not a floating-point type"):
        i8gemm.quantize(np.arange(4), params[0])
    with pytest.raises(ValueError, match="dtype: float32 is not a storage type"):
        i8gemm.quantize(X, params[0], dtype=np.float32)
    bad = i8gemm.QuantParams(0.0, 0, -128, 127)
    with pytest.raises(ValueError, match="params.scale = 0 must be finite and > 0"):
        i8gemm.quantize(X, bad)
    with pytest.raises(ValueError, match=r"x\[0, 1\] = nan is not finite"):
        i8gemm.choose_quant_params_rows(np.array([[1.0, np.nan]], np.float32))


PATH_SCRIPT = r"""
import hashlib, sys
import numpy as np
import i8gemm
x = np.frombuffer(sys.stdin.buffer.read(), dtype=np.float32).reshape(23, 37)
h = hashlib.sha256()
for bits in (3, 8, 16, 32):
    p = i8gemm.choose_quant_params(float(x.min()), float(x.max()), bits=bits)
    q = i8gemm.quantize(x, p)
    h.update(q.tobytes()); h.update(i8gemm.dequantize(q, p).tobytes())
    rows, cols = i8gemm.choose_quant_params_rows(x, bits=bits), i8gemm.choose_quant_params_columns(x, bits=bits)
    for qq, back in ((i8gemm.quantize_rows(x, rows), lambda q: i8gemm.dequantize_rows(q, rows)),
                     (i8gemm.quantize_columns(x, cols), lambda q: i8gemm.dequantize_columns(q, cols))):
        h.update(qq.tobytes()); h.update(back(qq).tobytes())
print(i8gemm.default_path(), h.hexdigest())
"""


def test_every_path_quantizes_the_same_bits():
    """Each available path's quantization kernels (I8GEMM_ISA=<path> in a child process) give the
    bits of the numpy formulas."""
    h = hashlib.sha256()
    for bits in (3, 8, 16, 32):
        p = i8gemm.choose_quant_params(float(X.min()), float(X.max()), bits=bits)
        q = ref.quantize(X, p.scale, p.zero_point, p.qmin, p.qmax).astype(i8gemm.quantize(X[:1], p).dtype)
        h.update(q.tobytes())
        h.update(ref.dequantize(q, p.scale, p.zero_point).tobytes())
        for by_rows in (True, False):
            choose = i8gemm.choose_quant_params_rows if by_rows else i8gemm.choose_quant_params_columns
            params = choose(X, bits=bits)
            shape = (-1, 1) if by_rows else (1, -1)
            scale = np.array([pi.scale for pi in params], np.float32).reshape(shape)
            zp = np.array([pi.zero_point for pi in params]).reshape(shape)
            qq = ref.quantize(X, scale, zp, params[0].qmin, params[0].qmax).astype(q.dtype)
            h.update(qq.tobytes())
            h.update(ref.dequantize(qq, scale, zp).tobytes())
    want = h.hexdigest()
    for path in i8gemm.available_paths():
        env = dict(os.environ, I8GEMM_ISA=path)
        run = subprocess.run([sys.executable, "-c", PATH_SCRIPT], input=X.tobytes(), env=env,
                             capture_output=True, check=True)
        assert run.stdout.decode().split() == [path, want], run.stderr.decode()
