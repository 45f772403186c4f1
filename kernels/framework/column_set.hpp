// A call's per-column epilogue terms on one path (EpilogueKernels::columns: bias - za * column
// sums, the per-channel multipliers' split): computed into the Context's scratch by each gemm()
// call, or once, for the path and its delegate, by a PreparedGemm.
#pragma once

#include <cstdint>

#include "framework/blocking.hpp"
#include "framework/epilogue_args.hpp"
#include "framework/packed_b_state.hpp"
#include "framework/path_config.hpp"

namespace i8gemm::detail {

struct ColumnSet {
  const PathConfig* cfg = nullptr;          // the path whose A offset and code computed them
  const std::int32_t* col_terms = nullptr;  // N values
  const std::int32_t* m0s = nullptr;        // 3 N values (EpilogueArgs::m0s), or null
  bool any_left_shift = false;
  bool every_right_shift = false;
};

// Whether a call's stage has per-channel fixed-point multipliers to split (3 N values of m0s).
inline bool splits_multipliers(const OutDesc& out) {
  return out.kind == OutKind::fixed_point && out.multipliers != nullptr;
}

// The terms of `out` on B on path cfg, with A's zero point `za` (the path's offset included; 0
// where A's zero points are per row, which the epilogue subtracts itself) into col_terms (N
// values) and m0s (3 N values where splits_multipliers(out), else unused).
inline ColumnSet column_set(const PathConfig& cfg, const PackedBView& b, const OutDesc& out,
                            std::int32_t za, std::int32_t* col_terms, std::int32_t* m0s) {
  const bool add_bias = out.kind != OutKind::float32 && out.bias != nullptr;
  const bool split = splits_multipliers(out);
  const MultiplierShifts shifts = cfg.epilogue->columns(
      ColumnTerms{b.n, b.col_sums, add_bias ? out.bias : nullptr, za, col_terms,
                  split ? out.multipliers : nullptr, split ? m0s : nullptr});
  ColumnSet set;
  set.cfg = &cfg;
  set.col_terms = col_terms;
  set.m0s = split ? m0s : nullptr;
  set.any_left_shift =
      split ? shifts.any_left_shift : out.kind == OutKind::fixed_point && out.multiplier.shift > 0;
  set.every_right_shift = split ? shifts.every_right_shift
                                : out.kind == OutKind::fixed_point && out.multiplier.shift < 0;
  return set;
}

// What a PreparedGemm gives run_blocked: its column sets, its path's and its delegate's (a path
// that hands some calls to another path's kernels; that path's A offset may differ), and its
// blocking cache (written by its runs, which hold its Context).
struct PreparedCall {
  ColumnSet sets[2];
  BlockingCache* blocking = nullptr;
  const ColumnSet* find(const PathConfig& cfg) const {
    for (const ColumnSet& s : sets) {
      if (s.cfg == &cfg) return &s;
    }
    return nullptr;
  }
};

}  // namespace i8gemm::detail
