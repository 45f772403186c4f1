// Differential checking of a path against the scalar oracle: a GEMM case (shape, strides,
// types, zero points, output stage, data pattern), its random generation, and running it.
// Shared by the test suite and `i8gemm verify`.
#pragma once

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "i8gemm/i8gemm.hpp"

namespace i8gemm::verification {

enum class ZeroPointKind { none, tensor, channel };
enum class DataPattern {
  random,       // uniform over the types' ranges
  all_min,      // A and B at their minimum (-128, or 0 for uint8 A)
  all_max,      // A and B at their maximum (127 / 255)
  a_max_b_min,  // A at its maximum, B at -128: the vpmaddubsw saturation case
  alternating,  // +-extremes alternating along k
  small,        // values in [-2, 2]
};

struct GemmCase {
  std::int64_t m = 1, n = 1, k = 1;
  std::int64_t lda_pad = 0, ldb_pad = 0, ldc_pad = 0;  // leading dimension minus width
  detail::AType a_type = detail::AType::u8;
  BLayout b_layout = BLayout::kn;
  ZeroPointKind za_kind = ZeroPointKind::none, zb_kind = ZeroPointKind::none;
  // Zero point values: per tensor, or the extremes spread over channels.
  std::int32_t za = 0, zb = 0;
  detail::OutKind out_kind = detail::OutKind::int32;
  detail::OutType out_type = detail::OutType::s32;
  bool bias = false;
  bool per_channel_scale = false;
  // Fixed-point multipliers all below 1/2 (every right shift at least 1), the usual
  // requantization, which the epilogues run on a path of their own.
  bool multipliers_below_half = false;
  bool clamp = false;  // narrowed [min, max], e.g. a fused ReLU
  DataPattern data = DataPattern::random;
  std::uint64_t seed = 1;

  std::string describe() const;
};

struct CaseLimits {
  std::int64_t max_m = 300, max_n = 300, max_k = 300;
};

// A random case: shapes 1..max (biased toward small and prime sizes), every type, layout,
// zero-point kind, output stage and data pattern.
GemmCase random_case(std::mt19937_64& rng, const CaseLimits& limits = {});

struct CaseResult {
  bool ok = true;
  std::string message;  // first mismatch, when !ok
};

struct Operands;

// A case made ready to check: its operands and the oracle's bytes of C, computed once for any
// number of paths.
class PreparedCase {
 public:
  explicit PreparedCase(const GemmCase& c);
  ~PreparedCase();
  PreparedCase(const PreparedCase&) = delete;
  PreparedCase& operator=(const PreparedCase&) = delete;

  // Runs the case on ctx's path through the packed-B and the one-call forms, and twice through a
  // PreparedGemm where the case allows it (A's zero point and the float32 stage's A scale per
  // tensor), and compares every byte of C (including the gaps between rows, which must keep
  // their sentinel) with the oracle's. Also fails if the context reports another path than its
  // own as used.
  CaseResult check(Context& ctx) const;

 private:
  GemmCase case_;
  std::unique_ptr<Operands> operands_;
  std::vector<std::uint8_t> expected_;
};

// PreparedCase(c).check() on a new Context of `isa` with `threads` threads; `parallel_for`,
// when set, replaces the pool.
CaseResult run_case(Isa isa, const GemmCase& c, int threads = 1,
                    const ParallelFor& parallel_for = nullptr);

}  // namespace i8gemm::verification
