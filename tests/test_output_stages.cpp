// Every path's output stages swept over the edge accumulators the reference's primitives are
// held to against gemmlowp (edge_values.hpp): K = 0 makes acc + bias = bias, so the int32 bias
// feeds any accumulator straight into the path's own SIMD epilogue. Per-tensor and per-channel
// multipliers, every shift from -31 to 30, narrowed clamps; the fp32-scale stage on ties and
// extremes. Tolerance 0 against reference/output_stage_reference.hpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "edge_values.hpp"
#include "isa_param.hpp"
#include "reference/output_stage_reference.hpp"

namespace i8gemm::testing {
namespace {

using OutputStages = IsaTest;

// The fixed-point sweeps run on 3 rows and on 20: the SIMD epilogues multiply by a multiplier
// below 1/2 in two steps in a block of fewer than 16 rows (4 with AVX-512) and with one rounding
// of the 64-bit product in a larger one (epilogue.hpp, kRowsForOneRounding), and a K = 0 call's
// rows are one block.
constexpr std::int64_t kRowCounts[] = {3, 20};

template <typename T = std::int8_t>
struct Sweep {
  explicit Sweep(std::int64_t rows = 3) : m(rows) {}
  std::vector<std::int32_t> bias = edge_values();
  std::int64_t m, n = static_cast<std::int64_t>(bias.size());
  std::vector<T> c = std::vector<T>(static_cast<std::size_t>(m * n));

  template <typename Stage>
  void run(Isa isa, const Stage& stage) {
    Context ctx(isa);
    gemm(ctx, MatrixView<const std::int8_t>(nullptr, m, 0), 0,
         MatrixView<const std::int8_t>(nullptr, 0, n), BLayout::kn, 0, stage,
         MatrixView<T>(c.data(), m, n));
    ASSERT_EQ(ctx.last_used_isa(), isa);
  }
};

// Both byte types: their narrowing stores differ (and a saturating one serves multipliers
// below 1/2, whose outputs cannot wrap when the zero point is added).
template <typename T>
void fixed_point_sweep(Isa isa, std::int64_t rows) {
  Sweep<T> s(rows);
  constexpr bool kSigned = std::is_signed_v<T>;
  const std::int32_t m0s[] = {std::int32_t{1} << 30, 0x7fffffff, (std::int32_t{1} << 30) + 12345,
                              1518500250};
  for (int shift = -31; shift <= 30; ++shift) {
    for (std::int32_t m0 : m0s) {
      for (int clamp = 0; clamp < 2; ++clamp) {
        const QuantizedMultiplier q{m0, shift};
        OutputFixedPoint<T> stage;
        stage.multiplier = q;
        stage.bias = s.bias.data();
        stage.zero_point = kSigned ? (clamp ? 3 : -5) : (clamp ? 130 : 120);
        stage.min = clamp ? stage.zero_point : (kSigned ? -128 : 0);  // a fused ReLU
        stage.max = clamp ? (kSigned ? 100 : 230) : (kSigned ? 127 : 255);
        // Half the sweeps per channel (the same multiplier in every column): the epilogue has
        // separate per-tensor and per-channel code.
        std::vector<QuantizedMultiplier> per_channel;
        if ((shift + clamp) % 2 == 0) {
          per_channel.assign(static_cast<std::size_t>(s.n), q);
          stage.per_channel = per_channel.data();
        }
        s.run(isa, stage);
        for (std::int64_t i = 0; i < s.m; ++i) {
          for (std::int64_t j = 0; j < s.n; ++j) {
            const std::int32_t want = reference::requantize_fixed_point(
                s.bias[j], q, stage.zero_point, stage.min, stage.max);
            ASSERT_EQ(s.c[i * s.n + j], want)
                << (kSigned ? "int8" : "uint8") << " acc " << s.bias[j] << " m0 " << m0 << " shift "
                << shift << " clamp " << clamp << " rows " << rows
                << (stage.per_channel ? " per channel" : " per tensor");
          }
        }
      }
    }
  }
}

TEST_P(OutputStages, FixedPointOnEdgeAccumulators) {
  for (std::int64_t rows : kRowCounts) fixed_point_sweep<std::int8_t>(GetParam(), rows);
}

TEST_P(OutputStages, FixedPointUint8OnEdgeAccumulators) {
  for (std::int64_t rows : kRowCounts) fixed_point_sweep<std::uint8_t>(GetParam(), rows);
}

// Accumulators at and next to the ties of RoundingDivideByPOT(h, e) (h = k 2^e + 2^(e-1), k of
// both signs and up to int32's edge), each column with its own multiplier: right shifts 1 to 31
// side by side, so that neighbouring lanes of a vector shift by different amounts (AVX-512
// computes even and odd lanes apart: primitives.hpp).
template <typename T>
void fixed_point_ties(Isa isa, std::int64_t rows) {
  Sweep<T> s(rows);
  s.bias.clear();
  std::vector<QuantizedMultiplier> multipliers;
  const std::int32_t m0s[] = {std::int32_t{1} << 30, 0x7fffffff, 1518500250};
  const std::int64_t ks[] = {-(std::int64_t{1} << 40), -3, -1, 0, 1, 2, std::int64_t{1} << 40};
  for (std::int64_t k : ks) {
    for (std::int32_t m0 : m0s) {
      for (int d = -1; d <= 1; ++d) {
        for (int e = 1; e <= 31; ++e) {
          // h = RDHM(x, m0) is about x m0 / 2^31; k = +-2^40 stands for the largest |h| in range.
          const long double h_max = static_cast<long double>(m0) - (std::int64_t{1} << (e - 1));
          long double h =
              static_cast<long double>(k) * std::ldexp(1.0L, e) + std::ldexp(1.0L, e - 1);
          const std::int64_t k_max = static_cast<std::int64_t>(h_max / std::ldexp(1.0L, e)) - 1;
          if (k > k_max)
            h = static_cast<long double>(k_max) * std::ldexp(1.0L, e) + std::ldexp(1.0L, e - 1);
          if (k < -k_max)
            h = -static_cast<long double>(k_max) * std::ldexp(1.0L, e) + std::ldexp(1.0L, e - 1);
          const long double x = std::nearbyint(h * std::ldexp(1.0L, 31) / m0) + d;
          if (x > INT32_MAX || x < INT32_MIN) continue;
          s.bias.push_back(static_cast<std::int32_t>(x));
          multipliers.push_back(QuantizedMultiplier{m0, -e});
        }
      }
    }
  }
  s.n = static_cast<std::int64_t>(s.bias.size());
  s.c.assign(static_cast<std::size_t>(s.m * s.n), 0);
  OutputFixedPoint<T> stage;
  stage.per_channel = multipliers.data();
  stage.bias = s.bias.data();
  stage.zero_point = std::is_signed_v<T> ? -5 : 120;
  s.run(isa, stage);
  for (std::int64_t i = 0; i < s.m; ++i) {
    for (std::int64_t j = 0; j < s.n; ++j) {
      const QuantizedMultiplier& q = multipliers[static_cast<std::size_t>(j)];
      ASSERT_EQ(s.c[static_cast<std::size_t>(i * s.n + j)],
                reference::requantize_fixed_point(s.bias[static_cast<std::size_t>(j)], q,
                                                  stage.zero_point, stage.min, stage.max))
          << "acc " << s.bias[static_cast<std::size_t>(j)] << " m0 " << q.m0 << " shift " << q.shift
          << " rows " << rows;
    }
  }
}

TEST_P(OutputStages, FixedPointOnRoundingTies) {
  for (std::int64_t rows : kRowCounts) {
    fixed_point_ties<std::int8_t>(GetParam(), rows);
    fixed_point_ties<std::uint8_t>(GetParam(), rows);
  }
}

TEST_P(OutputStages, FloatScaleOnEdgeAccumulators) {
  Sweep<> s;
  // Ties (0.5, 0.25), a power of two below one ulp of the largest accumulators, a denormal,
  // and scales that saturate.
  const float scales[] = {0.5f,   0.25f, 1.0f, 3.0f, 1.0f / 4096, std::ldexp(1.0f, -31),
                          1e-40f, 1e30f};
  for (float scale : scales) {
    for (int per_channel = 0; per_channel < 2; ++per_channel) {
      OutputFloatScale<std::int8_t> stage;
      stage.scale = scale;
      stage.bias = s.bias.data();
      stage.zero_point = 7;
      std::vector<float> channel_scales;
      if (per_channel) {
        channel_scales.assign(static_cast<std::size_t>(s.n), scale);
        stage.per_channel = channel_scales.data();
      }
      s.run(GetParam(), stage);
      for (std::int64_t j = 0; j < s.n; ++j) {
        const std::int32_t want =
            reference::requantize_float(s.bias[j], scale, stage.zero_point, stage.min, stage.max);
        ASSERT_EQ(s.c[j], want) << "acc " << s.bias[j] << " scale " << scale
                                << (per_channel ? " per channel" : " per tensor");
      }
    }
  }
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(OutputStages);

}  // namespace
}  // namespace i8gemm::testing
