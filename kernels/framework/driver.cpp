#include "framework/driver.hpp"

#include <algorithm>

#include "framework/epilogue_args.hpp"
#include "framework/pack.hpp"

namespace i8gemm::detail {
namespace {

constexpr int kMaxTile = 64 * 64;

std::int32_t wrap_mul(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) * static_cast<std::uint32_t>(b));
}
std::int32_t wrap_add(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) + static_cast<std::uint32_t>(b));
}
std::int32_t wrap_sub(std::int32_t a, std::int32_t b) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(a) - static_cast<std::uint32_t>(b));
}

bool any_nonzero(const ZeroPoints& z, std::int64_t count) {
  if (z.per_channel == nullptr) return z.value != 0;
  return std::any_of(z.per_channel, z.per_channel + count, [](std::int32_t v) { return v != 0; });
}

}  // namespace

void run_blocked(ContextState& st, const PathConfig& path, const ADesc& a, const PackedBView& b,
                 const OutDesc& out) {
  const std::int64_t m = a.rows, n = b.n, k = b.k;
  if (m == 0 || n == 0) return;
  // Small M (GEMV-like): a shorter micro-kernel, so no padding rows are multiplied and each B
  // panel is streamed once.
  const PathConfig cfg = config_for_rows(path, m);
  const int offset = a_offset(cfg, a.type);
  const bool za_per_row = a.zero_point.per_channel != nullptr;
  const bool need_row_sums = any_nonzero(b.zero_point, n);
  const std::int32_t za = a.zero_point.value + offset;
  const bool add_bias = out.kind != OutKind::float32 && out.bias != nullptr;

  std::int32_t* col_terms = st.col_terms.as<std::int32_t>(static_cast<std::size_t>(n));
  for (std::int64_t j = 0; j < n; ++j) {
    const std::int32_t t = za_per_row ? 0 : wrap_sub(0, wrap_mul(za, b.col_sums[j]));
    col_terms[j] = add_bias ? wrap_add(t, out.bias[j]) : t;
  }
  // row_sums holds M row sums, then (za_eff, row_terms) for the per-row zero-point case.
  std::int32_t* row_buf = nullptr;
  std::int32_t* a_zero_points = nullptr;
  std::int32_t* row_terms = nullptr;
  if (need_row_sums || za_per_row) {
    row_buf = st.row_sums.as<std::int32_t>(2 * static_cast<std::size_t>(m));
    if (za_per_row) {
      a_zero_points = row_buf + m;
      for (std::int64_t i = 0; i < m; ++i) a_zero_points[i] = a.zero_point.per_channel[i] + offset;
    }
    if (need_row_sums) {
      row_terms = row_buf;
      std::fill(row_terms, row_terms + m, 0);
    }
  }
  std::int32_t* m0s = nullptr;
  bool any_left_shift = out.kind == OutKind::fixed_point && out.multiplier.shift > 0;
  if (out.kind == OutKind::fixed_point && out.multipliers != nullptr) {
    any_left_shift = false;
    m0s = st.multipliers.as<std::int32_t>(3 * static_cast<std::size_t>(n));
    for (std::int64_t j = 0; j < n; ++j) {
      const QuantizedMultiplier q = out.multipliers[j];
      m0s[j] = q.m0;
      m0s[n + j] = q.shift > 0 ? q.shift : 0;
      m0s[2 * n + j] = q.shift > 0 ? 0 : -q.shift;
      any_left_shift = any_left_shift || q.shift > 0;
    }
  }
  const EpilogueArgs args{&out,
                          col_terms,
                          b.col_sums,
                          a_zero_points,
                          row_terms,
                          b.zero_point.per_channel,
                          b.zero_point.value,
                          m0s,
                          m0s ? m0s + n : nullptr,
                          m0s ? m0s + 2 * n : nullptr,
                          any_left_shift};

  const std::int64_t mr = cfg.mr, nr = cfg.nr, kg = cfg.kg;
  const std::int64_t kc_max = static_cast<std::int64_t>(cfg.kc);
  const std::int64_t mc_max = static_cast<std::int64_t>(cfg.mc);
  const std::int64_t nc_max = static_cast<std::int64_t>(cfg.nc);
  const std::int64_t k_blocks = std::max<std::int64_t>(1, (k + kc_max - 1) / kc_max);
  const std::size_t a_elem = packed_elem_size(cfg.a_elem);
  const std::size_t b_elem = packed_elem_size(cfg.b_elem);
  const std::size_t b_panel_bytes = packed_b_panel_bytes(cfg, k);
  const std::int64_t mc_cap = std::min(mc_max, static_cast<std::int64_t>(round_up(m, mr)));
  const std::int64_t nc_cap = std::min(nc_max, static_cast<std::int64_t>(round_up(n, nr)));

  char* packed_a = static_cast<char*>(st.packed_a.reserve(
      static_cast<std::size_t>(mc_cap) * round_up(std::min(k, kc_max), kg) * a_elem + 64));
  // Tiles that outlive one KC block, in (NR panel, MR panel) order.
  std::int32_t* acc_tiles =
      k_blocks > 1 ? st.accumulators.as<std::int32_t>(static_cast<std::size_t>(mc_cap * nc_cap))
                   : nullptr;
  alignas(64) std::int32_t local_tile[kMaxTile];

  // NC -> MC -> KC: with a single KC block (the usual case: KC covers K) this is BLIS's order.
  // When K is split, the int32 tiles must survive until the epilogue of the last KC block, and
  // visiting every KC block of an MC x NC block in turn bounds them to MC x NC.
  for (std::int64_t n0 = 0; n0 < n; n0 += nc_max) {
    const std::int64_t nc = std::min(nc_max, n - n0);
    for (std::int64_t m0 = 0; m0 < m; m0 += mc_max) {
      const std::int64_t mc = std::min(mc_max, m - m0);
      const bool sum_rows = row_terms != nullptr && n0 == 0;
      for (std::int64_t kb = 0; kb < k_blocks; ++kb) {
        const std::int64_t k0 = kb * kc_max;
        const std::int64_t kc = std::min(kc_max, k - k0);
        const std::int64_t kc_pad = static_cast<std::int64_t>(round_up(kc, kg));
        const bool first_k = kb == 0, last_k = kb == k_blocks - 1;
        pack_a(cfg, a, m0, mc, k0, kc, packed_a, sum_rows ? row_terms + m0 : nullptr);
        if (sum_rows && last_k) {
          for (std::int64_t i = m0; i < m0 + mc; ++i) {
            const std::int32_t zai = a_zero_points ? a_zero_points[i] : za;
            row_terms[i] = wrap_sub(row_terms[i], wrap_mul(static_cast<std::int32_t>(k), zai));
          }
        }
        const std::size_t k_groups = static_cast<std::size_t>(kc_pad / kg);
        const std::size_t a_panel_bytes = static_cast<std::size_t>(mr * kc_pad) * a_elem;
        const char* b_panel = static_cast<const char*>(b.panels) +
                              static_cast<std::size_t>(n0 / nr) * b_panel_bytes +
                              static_cast<std::size_t>(k0) * nr * b_elem;
        std::int32_t* tile_column = acc_tiles;
        for (std::int64_t j0 = 0; j0 < nc; j0 += nr, b_panel += b_panel_bytes) {
          const int n_valid = static_cast<int>(std::min(nr, nc - j0));
          const char* a_panel = packed_a;
          std::int32_t* tile = acc_tiles ? tile_column : local_tile;
          for (std::int64_t i0 = 0; i0 < mc; i0 += mr, a_panel += a_panel_bytes) {
            cfg.ukernel(k_groups, a_panel, b_panel, tile, !first_k);
            if (last_k) {
              cfg.epilogue(args, tile, static_cast<int>(nr),
                           static_cast<int>(std::min(mr, mc - i0)), n_valid, m0 + i0, n0 + j0);
            }
            if (acc_tiles) tile += mr * nr;
          }
          if (acc_tiles) tile_column += mc_cap * nr;
        }
      }
    }
  }
}

}  // namespace i8gemm::detail
