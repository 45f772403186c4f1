// Every path's packing of A (pack_a: the path's own packer where it has one, else pack.cpp's)
// against the layout written out literally (path_config.hpp): panels of MR rows for each of the
// path's micro-kernels, K groups of a_kg values, each value A + the path's offset in the packed
// element type, K padded with zeros to the K unit and the rows past A's zeros; with row sums, each
// of A's rows' packed values added to what its sum held, wrapping, and the padding rows' sums
// untouched. Nothing written past the panels. Both A types, K from 0 through tails of every
// width, partial and wholly padded panels, a first row and column inside A, rows longer than K.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "framework/aligned_buffer.hpp"
#include "framework/pack.hpp"
#include "framework/path_config.hpp"
#include "framework/round.hpp"
#include "isa_param.hpp"

namespace i8gemm::detail {
namespace {

using PackA = ::i8gemm::testing::IsaTest;

// x's low bits read as the element type `cfg` packs A of `type` into.
std::int32_t as_packed(const PathConfig& cfg, AType type, std::int32_t x) {
  if (cfg.a_elem == PackedElem::s16) return static_cast<std::int16_t>(x);
  const bool s8 =
      cfg.a_elem == PackedElem::s8 || (cfg.a_elem == PackedElem::a_type && type == AType::s8);
  return s8 ? static_cast<std::int8_t>(x) : static_cast<std::uint8_t>(x);
}

// A's byte as packed for `cfg` (plus the path's offset), read back as an int32.
std::int32_t packed_value(const PathConfig& cfg, AType type, std::uint8_t byte) {
  const std::int32_t a = type == AType::s8 ? static_cast<std::int8_t>(byte) : byte;
  return as_packed(cfg, type, a + a_offset(cfg, type));
}

// The packed element at `index` of `panels`, read as `cfg` packs it.
std::int32_t element(const PathConfig& cfg, AType type, const std::uint8_t* panels,
                     std::int64_t index) {
  if (cfg.a_elem == PackedElem::s16) {
    std::int16_t v;
    std::memcpy(&v, panels + 2 * index, 2);
    return v;
  }
  return as_packed(cfg, type, panels[index]);
}

TEST_P(PackA, MatchesTheLayout) {
  const PathConfig& cfg = *find_path_config(GetParam());
  const std::int64_t unit = cfg.k_unit, kg = cfg.a_kg;
  const std::size_t elem = packed_elem_size(cfg.a_elem);
  std::mt19937_64 rng(7);
  std::vector<std::int64_t> kcs = {0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 65, 130, 257};
  for (std::int64_t k : {unit - 1, unit, unit + 1, 2 * unit + 3}) kcs.push_back(k);
  constexpr std::uint8_t kSentinel = 0xA5;
  for (int u = 0; u < cfg.ukernel_count; ++u) {
    const std::int64_t mr = cfg.ukernels[u].mr;
    // (A's rows from row0 on, rows asked for): whole panels, a partial one, wholly padded ones.
    const std::int64_t row_cases[][2] = {
        {1, 1}, {mr, mr}, {mr + 1, 2 * mr}, {2 * mr - 1, 3 * mr + 2}, {3, 3 * mr}};
    for (AType type : {AType::s8, AType::u8}) {
      for (std::int64_t kc : kcs) {
        if (kc < 0) continue;
        for (const auto& rc : row_cases) {
          const std::int64_t valid = rc[0], rows = rc[1], row0 = 1, k0 = 3;
          const std::int64_t lda = k0 + kc + 5;
          // A: row0 rows before the packed ones, `valid` packed, none after (the ones past are
          // padding); every byte value.
          std::vector<std::uint8_t> a(static_cast<std::size_t>((row0 + valid) * lda));
          for (auto& x : a) x = static_cast<std::uint8_t>(rng());
          if (!a.empty())
            a[static_cast<std::size_t>(row0 * lda + k0)] = type == AType::s8 ? 0x80 : 0xFF;
          const ADesc desc{a.data(), type, row0 + valid, k0 + kc, lda, ZeroPoints(0)};
          const std::int64_t kcpad = static_cast<std::int64_t>(round_up(kc, unit));
          const std::int64_t panel_rows = static_cast<std::int64_t>(round_up(rows, mr));
          const std::size_t bytes = static_cast<std::size_t>(panel_rows * kcpad) * elem;
          AlignedBuffer dst(bytes + 64);
          auto* const out = static_cast<std::uint8_t*>(dst.data());
          std::memset(out, kSentinel, bytes + 64);
          std::vector<std::int32_t> sums(static_cast<std::size_t>(rows));
          for (auto& s : sums) s = static_cast<std::int32_t>(rng());
          const std::vector<std::int32_t> before = sums;
          const bool with_sums = (kc + rows) % 2 == 0;
          pack_a(cfg, static_cast<int>(mr), desc, row0, rows, k0, kc, out,
                 with_sums ? sums.data() : nullptr);
          const auto where = [&] {
            return ::testing::Message()
                   << "mr " << mr << ", " << (type == AType::s8 ? "int8" : "uint8") << " A, kc "
                   << kc << ", rows of A " << valid << " of " << rows << ", sums " << with_sums;
          };
          for (std::int64_t r = 0; r < panel_rows; ++r) {
            std::uint32_t sum = 0;
            for (std::int64_t k = 0; k < kcpad; ++k) {
              const std::int64_t index =
                  (r / mr) * kcpad * mr + ((k / kg) * mr + r % mr) * kg + k % kg;
              const std::int32_t want =
                  r < valid && k < kc
                      ? packed_value(cfg, type,
                                     a[static_cast<std::size_t>((row0 + r) * lda + k0 + k)])
                      : 0;
              sum += static_cast<std::uint32_t>(want);
              ASSERT_EQ(element(cfg, type, out, index), want)
                  << where() << ": row " << r << ", k " << k;
            }
            if (r < rows) {
              const std::int32_t want_sum =
                  with_sums && r < valid
                      ? static_cast<std::int32_t>(static_cast<std::uint32_t>(before[r]) + sum)
                      : before[r];
              ASSERT_EQ(sums[r], want_sum) << where() << ": the sum of row " << r;
            }
          }
          for (std::size_t i = bytes; i < bytes + 64; ++i) {
            ASSERT_EQ(out[i], kSentinel) << where() << ": written past the panels at byte " << i;
          }
        }
      }
    }
  }
}

I8GEMM_INSTANTIATE_FOR_EVERY_ISA(PackA);

}  // namespace
}  // namespace i8gemm::detail
