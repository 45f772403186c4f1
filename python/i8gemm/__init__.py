"""i8gemm: exact int8 GEMM with fused output stages, on numpy arrays.

    C[M x N] = stage(sum_k (A[i, k] - za_i) * (B[k, j] - zb_j))

A is int8 or uint8 (M x K), B int8 (K x N, or N x K with b_layout="nk"), zero points per tensor
(an int) or per row of A / column of B (a 1-D array). The stage says what C is:

    OutputInt32(bias=None)                                   int32: acc + bias
    OutputFixedPoint(multiplier, dtype="int8", bias=None,    int8/uint8 requantized exactly as
                     zero_point=0, min=None, max=None)         gemmlowp / TensorFlow Lite
    OutputFloatScale(scale, dtype="int8", ...)               int8/uint8 by an fp32 scale
    OutputFloat(a_scale=1.0, b_scale=1.0, bias=None,         float32, dequantized (and
                min=None, max=None)                            clamped)

Dynamic quantization (docs/math.md section 4): QuantizedWeights(w_float, layout="nk") once, then
gemm_dynamic(a_float, weights, granularity="per_row"|"per_tensor", bias=..., min=..., max=...)
quantizes the float activations inside the call and returns float32.

Every path (available_paths()) gives the same bits as the scalar oracle; docs/math.md specifies
them. Arrays are read and written in place when each row is contiguous and rows are evenly
strided (C order, or a slice of rows or of leading columns); other layouts of A and B are copied.
The GIL is released during each multiply. A bad argument raises i8gemm.Error, a ValueError whose
message starts with the argument's name.

    import numpy as np, i8gemm
    ctx = i8gemm.Context()                      # or Context(isa="avx2"); ctx.isa = "scalar"
    w = i8gemm.PackedB(weights_nk, layout="nk", ctx=ctx)
    stage = i8gemm.OutputFixedPoint(sx * sw / sy, bias=bias_q, zero_point=zy, min=zy)
    y = ctx.gemm(x_q, w, stage, a_zero_point=zx)     # int8, M x N
    ctx.last_used_path                          # which path ran
    layer = i8gemm.PreparedGemm(w, stage, a_zero_point=zx, ctx=ctx)   # checked and set up once
    y = layer.run(x_q)                          # the bits of ctx.gemm(x_q, w, stage, ...)

Quantization: choose_quant_params(min, max, bits=8, signed=True, symmetric=False,
symmetric_range="restricted"|"full"), quantize / dequantize (any shape), the _rows / _columns
variants (one QuantParams per row / column), quantization_mse*, quantize_bias,
quantize_multiplier.
"""

from . import _i8gemm
from ._i8gemm import *  # noqa: F401,F403  (the names below)
from ._i8gemm import __version__  # noqa: F401

__all__ = sorted(name for name in dir(_i8gemm) if not name.startswith("_"))
