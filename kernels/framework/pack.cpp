#include "framework/pack.hpp"
#include "framework/prefetch.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>

#include "framework/aligned_buffer.hpp"
#include "framework/wrapping.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace i8gemm::detail {
namespace {

// B stored K x N, panels of columns j0 .. j0 + nr - 1: for each group of kg consecutive k, each
// column's kg values. The panel is zeroed first where K or N ends inside it; the loops then copy
// only what B has, a row of nr columns at a time (as B's layout reads contiguously). Column sums
// wrap like the int32 accumulators they cancel. (N x K is packed as A is: pack_b.)
constexpr std::int64_t kMaxNr = 64;

#if defined(__SSE2__)
// Whole panels of int8 B in K pairs (avx2's layout; NR a multiple of 16), `panels` of them from
// B's column 0, each panel_bytes after the last, and their column sums: a row pair's bytes
// interleaved are its columns' pairs, as the panels want them, and an odd K's last row pairs with
// zeros (the panel's padding). B is read a row pair at a time across every panel, in its own
// order: a panel at a time, each of B's rows was a new page, and the loads waited on memory (80 %
// of the packing's samples at 4096 x 4096). The sums: the interleaved bytes, sign-extended and
// pmaddwd'ed with ones, are each column's pair sums, added to col_sums (wrapping, as the
// accumulators they cancel). A 4096 x 4096 K x N PackedB for avx2 on a Zen 2: 10.6-13.2 ms
// against 48-50 with the byte loop below (best of 5, three rounds alternating).
void pack_b_kn_pairs(const std::int8_t* b, std::int64_t ldb, std::int64_t k, std::int64_t nr,
                     std::int64_t panels, std::int64_t panel_bytes, std::int8_t* out,
                     std::int32_t* col_sums) {
  const __m128i ones = _mm_set1_epi16(1);
  std::fill(col_sums, col_sums + panels * nr, 0);
  for (std::int64_t k0 = 0; k0 < k; k0 += 2) {
    const std::int8_t* row = b + k0 * ldb;
    const bool pair = k0 + 1 < k;
    std::int8_t* panel = out + k0 * nr;
    for (std::int64_t q = 0; q < panels; ++q, panel += panel_bytes) {
      for (std::int64_t c = 0; c < nr; c += 16) {
        const std::int64_t col = q * nr + c;
        const __m128i r0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + col));
        const __m128i r1 = pair ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(row + ldb + col))
                                : _mm_setzero_si128();
        const __m128i halves[2] = {_mm_unpacklo_epi8(r0, r1), _mm_unpackhi_epi8(r0, r1)};
        for (int h = 0; h < 2; ++h) {
          _mm_storeu_si128(reinterpret_cast<__m128i*>(panel + c * 2 + h * 16), halves[h]);
          const __m128i lo = _mm_srai_epi16(_mm_unpacklo_epi8(halves[h], halves[h]), 8);
          const __m128i hi = _mm_srai_epi16(_mm_unpackhi_epi8(halves[h], halves[h]), 8);
          auto* sums = reinterpret_cast<__m128i*>(col_sums + col + 8 * h);
          _mm_storeu_si128(sums, _mm_add_epi32(_mm_loadu_si128(sums), _mm_madd_epi16(lo, ones)));
          _mm_storeu_si128(sums + 1,
                           _mm_add_epi32(_mm_loadu_si128(sums + 1), _mm_madd_epi16(hi, ones)));
        }
      }
    }
  }
}
#endif

template <typename Dst>
void pack_b_kn_as(const PathConfig& cfg, const BDesc& b, Dst* dst, std::int32_t* col_sums,
                  std::int64_t panel_begin, std::int64_t panel_end) {
  const std::int64_t k = b.k(), n = b.n();
  const std::int64_t nr = cfg.nr, kg = cfg.b_kg;
  if (nr > kMaxNr) throw Error("internal: NR above " + std::to_string(kMaxNr));
  const std::int64_t kpad =
      static_cast<std::int64_t>(round_up(static_cast<std::size_t>(k), cfg.k_unit));
  const std::int64_t j_end = panel_end >= (n + nr - 1) / nr ? n : panel_end * nr;
  std::int64_t j0 = panel_begin * nr;
#if defined(__SSE2__)
  if constexpr (std::is_same_v<Dst, std::int8_t>) {
    // (It writes K up to the next pair: the path's K unit must be 2, or the rest of the padding
    // would be left unwritten.)
    const std::int64_t panels = (j_end - j0) / nr;
    if (kg == 2 && cfg.k_unit == 2 && nr % 16 == 0 && panels > 0) {
      pack_b_kn_pairs(b.data + j0, b.ld, k, nr, panels, kpad * nr, dst + (j0 / nr) * kpad * nr,
                      col_sums + j0);
      j0 += panels * nr;
    }
  }
#endif
  for (; j0 < j_end; j0 += nr) {
    Dst* panel = dst + (j0 / nr) * kpad * nr;
    const std::int64_t cols = std::min(nr, n - j0);
    if (cols < nr || k < kpad) {
      std::memset(panel, 0, static_cast<std::size_t>(kpad * nr) * sizeof(Dst));
    }
    std::uint32_t sums[kMaxNr] = {};
    for (std::int64_t k0 = 0; k0 < k; k0 += kg) {
      Dst* group = panel + (k0 / kg) * nr * kg;
      const std::int64_t len = std::min(kg, k - k0);
      for (std::int64_t t = 0; t < len; ++t) {
        const std::int8_t* row = b.data + (k0 + t) * b.ld + j0;
        for (std::int64_t jj = 0; jj < cols; ++jj) {
          group[jj * kg + t] = static_cast<Dst>(row[jj]);
          sums[jj] += static_cast<std::uint32_t>(row[jj]);
        }
      }
    }
    for (std::int64_t jj = 0; jj < cols; ++jj)
      col_sums[j0 + jj] = static_cast<std::int32_t>(sums[jj]);
  }
}

// The sum of the bytes of a word read as Dst (uint8 or int8), in the word's own arithmetic: the
// row sums of packed A come with its packing instead of a second pass over each row.
template <typename Dst, typename Word>
std::uint32_t byte_sum(Word w) {
  // An int8 byte b is (b ^ 0x80) - 128 read as uint8. (Not a popcount of the top bits: this file
  // is built for the baseline x86-64, where __builtin_popcountll is a call into libgcc: a
  // 4096 x 4096 N x K PackedB for avx2 took 29-30 ms with it, 10.5-10.9 without, on a Zen 2.)
  constexpr std::uint64_t kFlip = std::is_signed_v<Dst> ? 0x8080808080808080ull : 0;
  std::uint64_t x = static_cast<std::uint64_t>(w) ^ (kFlip >> (64 - 8 * sizeof(Word)));
  x = (x & 0x00ff00ff00ff00ffull) + ((x >> 8) & 0x00ff00ff00ff00ffull);
  x = (x & 0x0000ffff0000ffffull) + ((x >> 16) & 0x0000ffff0000ffffull);
  x = (x & 0xffffffffull) + (x >> 32);
  return static_cast<std::uint32_t>(x) -
         (std::is_signed_v<Dst> ? 128u * static_cast<std::uint32_t>(sizeof(Word)) : 0u);
}

#if defined(__SSE2__)
// The two 64-bit sums of psadbw accumulations, modulo 2^32 (the row sums' arithmetic).
inline std::uint32_t sad_total(__m128i totals) {
  return static_cast<std::uint32_t>(
      static_cast<std::uint64_t>(_mm_cvtsi128_si64(totals)) +
      static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_unpackhi_epi64(totals, totals))));
}

// The four 32-bit lanes' sum, modulo 2^32 (pmaddwd accumulations of widened rows).
inline std::uint32_t lane_total(__m128i totals) {
  alignas(16) std::uint32_t lanes[4];
  _mm_store_si128(reinterpret_cast<__m128i*>(lanes), totals);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

// kRows (4 or 2) rows' next 4 K groups of 4 bytes each, one vector per row, to their slots: a
// transpose of 32-bit words puts the rows' 4 bytes of each group side by side, as the panel wants
// them (4 x 4 words, or 2 x 4 for the last two rows of an MR of 6), `group_bytes` apart.
template <int kRows>
void store_transposed(const __m128i* r, std::uint8_t* out, std::int64_t group_bytes) {
  static_assert(kRows == 4 || kRows == 2, "four rows, or the last two");
  const __m128i t0 = _mm_unpacklo_epi32(r[0], r[1]), t2 = _mm_unpackhi_epi32(r[0], r[1]);
  if constexpr (kRows == 4) {
    const __m128i t1 = _mm_unpacklo_epi32(r[2], r[3]), t3 = _mm_unpackhi_epi32(r[2], r[3]);
    const __m128i cols[4] = {_mm_unpacklo_epi64(t0, t1), _mm_unpackhi_epi64(t0, t1),
                             _mm_unpacklo_epi64(t2, t3), _mm_unpackhi_epi64(t2, t3)};
    for (int i = 0; i < 4; ++i) {
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i * group_bytes), cols[i]);
    }
  } else {
    // Groups g, g + 1 in t0's halves, g + 2, g + 3 in t2's: 8 bytes each.
    const __m128i cols[4] = {t0, _mm_unpackhi_epi64(t0, t0), t2, _mm_unpackhi_epi64(t2, t2)};
    for (int i = 0; i < 4; ++i) {
      _mm_storel_epi64(reinterpret_cast<__m128i*>(out + i * group_bytes), cols[i]);
    }
  }
}

// Bytes to bytes with K groups of 4, kRows (4 or 2) full rows at a time: each row's next 16
// bytes are 4 groups (store_transposed). With `sums`, adds each row's packed bytes (read as int8
// when `signed_bytes`) to sums[0..kRows). Returns the number of groups done (a multiple of 4).
template <int kRows>
std::int64_t pack_rows_kg4(const std::uint8_t* const* rows, std::int64_t groups, std::int64_t mr,
                           bool flip, std::uint8_t* out, std::uint32_t* sums, bool signed_bytes,
                           std::uintptr_t ahead) {
  const __m128i flip_bits = _mm_set1_epi8(flip ? static_cast<char>(0x80) : 0);
  // psadbw sums unsigned bytes; int8 bytes are summed as (byte ^ 0x80) - 128.
  const __m128i sum_flip = _mm_set1_epi8(signed_bytes ? static_cast<char>(0x80) : 0);
  __m128i totals[kRows];
  for (int i = 0; i < kRows; ++i) totals[i] = _mm_setzero_si128();
  std::int64_t g = 0;
  for (; g + 4 <= groups; g += 4) {
    if (ahead != 0 && g % 16 == 0) {
      for (int i = 0; i < kRows; ++i) prefetch_line_ahead(rows[i] + g * 4, ahead);
    }
    __m128i r[kRows];
    for (int i = 0; i < kRows; ++i) {
      r[i] = _mm_xor_si128(_mm_loadu_si128(reinterpret_cast<const __m128i*>(rows[i] + g * 4)),
                           flip_bits);
      if (sums != nullptr) {
        totals[i] = _mm_add_epi64(totals[i],
                                  _mm_sad_epu8(_mm_xor_si128(r[i], sum_flip), _mm_setzero_si128()));
      }
    }
    store_transposed<kRows>(r, out + g * mr * 4, mr * 4);
  }
  if (sums != nullptr) {
    for (int i = 0; i < kRows; ++i) {
      sums[i] +=
          sad_total(totals[i]) - (signed_bytes ? 128u * static_cast<std::uint32_t>(g * 4) : 0u);
    }
  }
  return g;
}

// The 8 bytes at `src` widened to int16 (sign- or zero-extended as Src is) plus `offset`.
template <typename Src>
__m128i widen_8(const Src* src, __m128i offset) {
  const __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i*>(src));
  const __m128i wide = std::is_signed_v<Src> ? _mm_srai_epi16(_mm_unpacklo_epi8(bytes, bytes), 8)
                                             : _mm_unpacklo_epi8(bytes, _mm_setzero_si128());
  return _mm_add_epi16(wide, offset);
}

// Bytes to int16 pairs (K groups of 2, the vpmaddwd paths), kRows (4 or 2) rows at a time, of
// which the first `valid` are rows of A and the others the panel's zero padding: each row's next
// 8 bytes widen (widen_8) to 4 groups of 4 bytes, which store_transposed puts in place. With
// `sums`, adds each valid row's widened values to sums[0..valid). Returns the number of groups
// done (a multiple of 4). Against widen_row_kg2 alone (a row at a time, a 4-byte store
// per group), A's packing fell from 12.3 to 9.9 % of an avx2 64^3 call's samples on a Zen 2.
// (avx2 has since had its own packer, pack_a_c2__avx2.cpp: this serves avx512bw's A, and its B
// given N x K.)
// kPartial: `valid` may be below kRows (a branch per row, which whole panels do without).
// A's offset is 0 here (the int16 paths need no sign trick; pack_a_as checks it).
template <int kRows, bool kPartial, typename Src>
std::int64_t widen_rows_kg2(const Src* const* rows, int valid, std::int64_t groups, std::int64_t mr,
                            std::int16_t* out, std::uint32_t* sums, std::uintptr_t ahead) {
  const __m128i ones = _mm_set1_epi16(1);
  __m128i totals[kRows];
  for (int i = 0; i < kRows; ++i) totals[i] = _mm_setzero_si128();
  std::int64_t g = 0;
  const std::int64_t whole = groups / 4 * 4;
  // A line ahead per row for every 32 groups (64 bytes), asked for at the start of each 32.
  while (g < whole) {
    if (ahead != 0) {
      for (int i = 0; i < valid; ++i) prefetch_line_ahead(rows[i] + g * 2, ahead);
    }
    for (const std::int64_t end = std::min(whole, g + 32); g < end; g += 4) {
      __m128i r[kRows];
      for (int i = 0; i < kRows; ++i) {
        if (kPartial && i >= valid) {
          r[i] = _mm_setzero_si128();
          continue;
        }
        r[i] = widen_8(rows[i] + g * 2, _mm_setzero_si128());
        if (sums != nullptr) totals[i] = _mm_add_epi32(totals[i], _mm_madd_epi16(r[i], ones));
      }
      store_transposed<kRows>(r, reinterpret_cast<std::uint8_t*>(out + g * mr * 2), mr * 4);
    }
  }
  if (sums != nullptr) {
    for (int i = 0; i < valid; ++i) sums[i] += lane_total(totals[i]);
  }
  return g;
}

// Groups [g_begin, g_end) of one row of bytes (KG a multiple of 16) to their slots,
// `group_stride` bytes apart, 16 bytes at a time, top bits flipped with `flip`. With `sum`,
// adds the packed bytes (read as int8 when kSignedBytes) to it. Returns g_end.
template <int KG, bool kSignedBytes, typename Src, typename Dst>
std::int64_t copy_groups_16(const Src* src, std::int64_t g_begin, std::int64_t g_end,
                            std::int64_t group_stride, bool flip, Dst* out, std::uint32_t* sum,
                            std::uintptr_t ahead) {
  const __m128i flip_bits = _mm_set1_epi8(flip ? static_cast<char>(0x80) : 0);
  // psadbw sums unsigned bytes; int8 bytes are summed as (byte ^ 0x80) - 128.
  const __m128i sum_flip = _mm_set1_epi8(kSignedBytes ? static_cast<char>(0x80) : 0);
  __m128i total = _mm_setzero_si128();
  for (std::int64_t g = g_begin; g < g_end; ++g) {
    for (int t = 0; t < KG; t += 16) {
      if (ahead != 0 && (g * KG + t) % 64 == 0) prefetch_line_ahead(src + g * KG + t, ahead);
      const __m128i v = _mm_xor_si128(
          _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + g * KG + t)), flip_bits);
      _mm_storeu_si128(reinterpret_cast<__m128i*>(out + g * group_stride + t), v);
      if (sum != nullptr) {
        total = _mm_add_epi64(total, _mm_sad_epu8(_mm_xor_si128(v, sum_flip), _mm_setzero_si128()));
      }
    }
  }
  if (sum != nullptr) {
    *sum += sad_total(total) -
            (kSignedBytes ? 128u * static_cast<std::uint32_t>((g_end - g_begin) * KG) : 0u);
  }
  return g_end;
}

// Groups [g_begin, groups) of one row of bytes to int16 pairs (K groups of 2, the vpmaddwd
// paths), 8 groups at a time (widen_8), each 32-bit pair to its group's slot, `group_stride`
// int16 apart. With `sum`, adds the widened values. Returns the first group not done (all but
// fewer than 8).
template <typename Src>
std::int64_t widen_row_kg2(const Src* src, std::int64_t g_begin, std::int64_t groups,
                           std::int64_t group_stride, int offset, std::int16_t* out,
                           std::uint32_t* sum, std::uintptr_t ahead) {
  const __m128i off = _mm_set1_epi16(static_cast<std::int16_t>(offset));
  const __m128i ones = _mm_set1_epi16(1);
  __m128i total = _mm_setzero_si128();
  std::int64_t g = g_begin;
  for (; g + 8 <= groups; g += 8) {
    if (ahead != 0 && g % 32 == 0) prefetch_line_ahead(src + g * 2, ahead);
    for (int h = 0; h < 2; ++h) {
      __m128i v = widen_8(src + g * 2 + h * 8, off);
      if (sum != nullptr) total = _mm_add_epi32(total, _mm_madd_epi16(v, ones));
      for (int q = 0; q < 4; ++q, v = _mm_srli_si128(v, 4)) {
        const std::int32_t pair = _mm_cvtsi128_si32(v);
        std::memcpy(out + (g + h * 4 + q) * group_stride, &pair, 4);
      }
    }
  }
  if (sum != nullptr) *sum += lane_total(total);
  return g;
}
#endif

// A is packed on every call, so this is on the critical path of small GEMMs: the K-group
// width is a template argument, full groups of valid rows are copied without per-element
// bounds checks, and the row sums (kSums) are added up in the same pass.
template <bool kSums, int KG, typename Dst, typename Src>
void pack_a_as(std::int64_t mr, const Src* a, std::int64_t lda, std::int64_t valid_rows,
               std::int64_t rows, std::int64_t kc, std::int64_t kcpad, int offset, Dst* dst,
               std::int32_t* row_sums) {
  const std::int64_t full_groups = kc / KG;
  // The distance to the row kPackAheadRows on from `last_row` (the last row a copier reads), or
  // 0 (ask for nothing) where that row is not one of this call's.
  [[maybe_unused]] const auto ahead_of = [lda, valid_rows](std::int64_t last_row) {
    return last_row + kPackAheadRows < valid_rows
               ? static_cast<std::uintptr_t>(kPackAheadRows * lda) * sizeof(Src)
               : std::uintptr_t{0};
  };
  constexpr std::int64_t kMaxMr = 64;
  std::uint32_t sums[kMaxMr];
  Dst* panel = dst;  // (not dst + r0 / mr * ...: a division per panel shows in small calls)
  for (std::int64_t r0 = 0; r0 < rows; r0 += mr, panel += kcpad * mr) {
    std::int64_t g_begin = 0;  // groups of every row already packed by the transposing path
    bool transposed = false;   // ... which ran: every row of the panel is a row of A
    if constexpr (kSums) std::fill(sums, sums + std::min(mr, kMaxMr), 0u);
#if defined(__SSE2__)
    // Panels whose K group of a row is 4 bytes (bytes in groups of 4, int16 pairs) are packed
    // four rows at a time, and a last two for an MR of 6 or 2; int16 ones also where the panel
    // ends in padding rows (the last of A's, e.g. 4 rows of 8 in a 12-row call), which are
    // written as zeros on the way.
    constexpr bool kBytesKg4 = sizeof(Dst) == 1 && sizeof(Src) == 1 && KG == 4;
    constexpr bool kWidenKg2 = std::is_same_v<Dst, std::int16_t> && sizeof(Src) == 1 && KG == 2;
    if constexpr (kBytesKg4 || kWidenKg2) {
      if (mr % 2 == 0 && mr <= kMaxMr &&
          (kWidenKg2 ? r0 < valid_rows && offset == 0 : r0 + mr <= valid_rows)) {
        transposed = true;
        const auto pack_rows = [&](auto rows_constant, std::int64_t q) {
          constexpr int kRows = decltype(rows_constant)::value;
          std::uint32_t* row_sums_here = kSums ? sums + q : nullptr;
          const std::uintptr_t ahead = ahead_of(r0 + q + kRows - 1);
          if constexpr (kBytesKg4) {
            const std::uint8_t* rows[kRows];
            for (int i = 0; i < kRows; ++i) {
              rows[i] = reinterpret_cast<const std::uint8_t*>(a + (r0 + q + i) * lda);
            }
            return pack_rows_kg4<kRows>(rows, full_groups, mr, offset != 0,
                                        reinterpret_cast<std::uint8_t*>(panel) + q * 4,
                                        row_sums_here, std::is_signed_v<Dst>, ahead);
          } else {
            const int valid =
                static_cast<int>(std::clamp<std::int64_t>(valid_rows - r0 - q, 0, kRows));
            const Src* rows[kRows] = {};
            for (int i = 0; i < valid; ++i) rows[i] = a + (r0 + q + i) * lda;
            return valid == kRows
                       ? widen_rows_kg2<kRows, false>(rows, valid, full_groups, mr, panel + q * 2,
                                                      row_sums_here, ahead)
                       : widen_rows_kg2<kRows, true>(rows, valid, full_groups, mr, panel + q * 2,
                                                     row_sums_here, ahead);
          }
        };
        std::int64_t q = 0;
        for (; q + 4 <= mr; q += 4) g_begin = pack_rows(std::integral_constant<int, 4>{}, q);
        if (q < mr) g_begin = pack_rows(std::integral_constant<int, 2>{}, q);
      }
    }
#endif
    // The transposing path packed the whole panel. (Only if it ran: with K = 0 there is nothing
    // to pack, but a panel's padding rows past A's have no row sums to add to.)
    if (transposed && g_begin * KG == kcpad) {
      for (std::int64_t rr = 0; kSums && rr < std::min(mr, valid_rows - r0); ++rr) {
        row_sums[r0 + rr] = wrap_add(row_sums[r0 + rr], static_cast<std::int32_t>(sums[rr]));
      }
      continue;
    }
    for (std::int64_t rr = 0; rr < mr; ++rr) {
      const std::int64_t r = r0 + rr;
      Dst* out = panel + rr * KG;
      if (r >= valid_rows) {
        // (The transposing path wrote zeros up to g_begin.)
        for (std::int64_t g = g_begin; g < kcpad / KG; ++g) {
          std::fill(out + g * mr * KG, out + g * mr * KG + KG, Dst{0});
        }
        continue;
      }
      const Src* src = a + r * lda;
      std::uint32_t sum = kSums && rr < kMaxMr ? sums[rr] : 0u;
      // The offset is +-128 at most and maps int8 onto uint8 (or back): the cast to an 8-bit
      // Dst wraps it into the destination's range, where the row sum reads it.
      if constexpr (sizeof(Dst) == 1 && sizeof(Src) == 1 && (KG == 2 || KG == 4 || KG % 8 == 0)) {
        // Bytes to bytes, a word at a time (several per group for amx's 64; without sums the
        // compiler turns those into vector moves): an offset of +-128 is a flip of each byte's
        // top bit.
        using Word = std::conditional_t<KG == 2, std::uint16_t,
                                        std::conditional_t<KG == 4, std::uint32_t, std::uint64_t>>;
        constexpr int kWords = KG / static_cast<int>(sizeof(Word));
        const Word flip = offset == 0 ? Word{0} : static_cast<Word>(0x8080808080808080ull);
        std::int64_t g_row = g_begin;
#if defined(__SSE2__)
        if constexpr (KG % 16 == 0) {
          // Groups of 16 bytes and more (amx's 64) move 16 bytes at a time: with the word loop
          // below, amx 256^3 took 1.14 times as long with A cold (1024^3: 1.04).
          g_row = copy_groups_16<KG, std::is_signed_v<Dst>>(src, g_row, full_groups, mr * KG,
                                                            offset != 0, out,
                                                            kSums ? &sum : nullptr, ahead_of(r));
        }
#endif
        for (std::int64_t g = g_row; g < full_groups; ++g) {
          for (int t = 0; t < kWords; ++t) {
            Word w;
            std::memcpy(&w, src + g * KG + t * sizeof(Word), sizeof(Word));
            w ^= flip;
            std::memcpy(out + g * mr * KG + t * sizeof(Word), &w, sizeof(Word));
            if constexpr (kSums) sum += byte_sum<Dst>(w);
          }
        }
      } else {
        std::int64_t g = g_begin;
#if defined(__SSE2__)
        if constexpr (std::is_same_v<Dst, std::int16_t> && sizeof(Src) == 1 && KG == 2) {
          g = widen_row_kg2(src, g, full_groups, mr * KG, offset, out, kSums ? &sum : nullptr,
                            ahead_of(r));
        }
#endif
        for (; g < full_groups; ++g) {
          for (int t = 0; t < KG; ++t) {
            const auto v = static_cast<Dst>(static_cast<std::int32_t>(src[g * KG + t]) + offset);
            out[g * mr * KG + t] = v;
            if constexpr (kSums) sum += static_cast<std::uint32_t>(static_cast<std::int32_t>(v));
          }
        }
      }
      // The partial group, then zero groups up to the path's K unit.
      for (std::int64_t g = full_groups; g < kcpad / KG; ++g) {
        Dst* group = out + g * mr * KG;
        const auto valid = static_cast<int>(std::clamp<std::int64_t>(kc - g * KG, 0, KG));
        for (int t = 0; t < valid; ++t) {
          const auto v = static_cast<Dst>(static_cast<std::int32_t>(src[g * KG + t]) + offset);
          group[t] = v;
          if constexpr (kSums) sum += static_cast<std::uint32_t>(static_cast<std::int32_t>(v));
        }
        std::fill(group + valid, group + KG, Dst{0});
      }
      if constexpr (kSums) row_sums[r] = wrap_add(row_sums[r], static_cast<std::int32_t>(sum));
    }
  }
}

template <bool kSums, typename Dst, typename Src>
void pack_a_with_kg(int kg, std::int64_t mr, const Src* a, std::int64_t lda,
                    std::int64_t valid_rows, std::int64_t rows, std::int64_t kc, std::int64_t kcpad,
                    int offset, Dst* dst, std::int32_t* row_sums) {
  // Only the (element, K group) pairs some path packs (A, or B given N x K) are instantiated,
  // each of which costs pack.cpp's compile time: int16 in groups of 1, 2 and 64 (the widening
  // paths), bytes in groups of 4 and 8 (the dot-product paths), 64 (amx's A), 2 (avx2's B) and 1
  // (scalar's B).
  const auto pack_as = [&](auto group) {
    pack_a_as<kSums, decltype(group)::value>(mr, a, lda, valid_rows, rows, kc, kcpad, offset, dst,
                                             row_sums);
  };
  if constexpr (sizeof(Dst) == 2) {
    if (kg == 1) return pack_as(std::integral_constant<int, 1>{});
    if (kg == 2) return pack_as(std::integral_constant<int, 2>{});
  } else {
    if (kg == 1) return pack_as(std::integral_constant<int, 1>{});
    if (kg == 2) return pack_as(std::integral_constant<int, 2>{});
    if (kg == 4) return pack_as(std::integral_constant<int, 4>{});
    if (kg == 8) return pack_as(std::integral_constant<int, 8>{});
  }
  if (kg == 64) return pack_as(std::integral_constant<int, 64>{});
  throw Error("internal: unsupported K group of A " + std::to_string(kg));
}

template <typename Dst, typename Src>
void pack_a_kg(const PathConfig& cfg, std::int64_t mr, const Src* a, std::int64_t lda,
               std::int64_t valid_rows, std::int64_t rows, std::int64_t kc, int offset, Dst* dst,
               std::int32_t* row_sums) {
  const auto kcpad = static_cast<std::int64_t>(round_up(static_cast<std::size_t>(kc), cfg.k_unit));
  if (row_sums != nullptr) {
    pack_a_with_kg<true>(cfg.a_kg, mr, a, lda, valid_rows, rows, kc, kcpad, offset, dst, row_sums);
  } else {
    pack_a_with_kg<false>(cfg.a_kg, mr, a, lda, valid_rows, rows, kc, kcpad, offset, dst, row_sums);
  }
}

template <typename Dst>
void pack_a_dst(const PathConfig& cfg, std::int64_t mr, const ADesc& a, std::int64_t row0,
                std::int64_t rows, std::int64_t k0, std::int64_t kc, void* dst,
                std::int32_t* row_sums) {
  const int off = a_offset(cfg, a.type);
  const std::int64_t valid_rows = std::min(rows, a.rows - row0);
  if (a.type == AType::s8) {
    pack_a_kg(cfg, mr, static_cast<const std::int8_t*>(a.data) + row0 * a.ld + k0, a.ld, valid_rows,
              rows, kc, off, static_cast<Dst*>(dst), row_sums);
  } else {
    pack_a_kg(cfg, mr, static_cast<const std::uint8_t*>(a.data) + row0 * a.ld + k0, a.ld,
              valid_rows, rows, kc, off, static_cast<Dst*>(dst), row_sums);
  }
}

}  // namespace

std::size_t packed_b_panel_bytes(const PathConfig& cfg, std::int64_t k) {
  return round_up(static_cast<std::size_t>(k), cfg.k_unit) * cfg.nr * packed_elem_size(cfg.b_elem);
}

std::size_t packed_b_bytes(const PathConfig& cfg, std::int64_t k, std::int64_t n) {
  const std::size_t panels = (static_cast<std::size_t>(n) + cfg.nr - 1) / cfg.nr;
  return panels * packed_b_panel_bytes(cfg, k);
}

void pack_b(const PathConfig& cfg, const BDesc& b, void* dst, std::int32_t* col_sums,
            std::int64_t panel_begin, std::int64_t panel_end) {
  if (b.layout == BLayout::nk) {
    // B stored N x K is laid out as A is: its columns, K contiguous values each, are the rows of
    // an A panel of NR rows in K groups of b_kg, and their row sums its column sums. So A's
    // packer, with its copiers of 16 bytes and transposers, packs it: a 4096 x 4096 PackedB in
    // 5.2 ms against 25.6 (amx), 4.8 / 24.9 (avx512vnni), 28 / 47 (avx2, then int16), 17 / 69
    // (scalar) with pack_b_kn_as's loop, a byte at a time (best of 5). avx2's bytes in pairs, a
    // 2-byte word at a time: 10.5-10.9 ms on a Zen 2 (K x N: pack_b_kn_pairs).
    const std::int64_t n = b.n(), k = b.k(), nr = cfg.nr;
    const std::int64_t end = std::min(panel_end, ceil_div(n, nr));
    if (panel_begin >= end) return;
    const std::int64_t j0 = panel_begin * nr;
    const std::int64_t rows = (end - panel_begin) * nr;
    const std::int64_t valid = std::min(rows, n - j0);
    const auto kpad = static_cast<std::int64_t>(round_up(static_cast<std::size_t>(k), cfg.k_unit));
    std::fill(col_sums + j0, col_sums + j0 + valid, 0);
    const std::int8_t* columns = b.data + j0 * b.ld;
    switch (cfg.b_elem) {
      case PackedElem::s8:
        return pack_a_with_kg<true>(cfg.b_kg, nr, columns, b.ld, valid, rows, k, kpad, 0,
                                    static_cast<std::int8_t*>(dst) + j0 * kpad, col_sums + j0);
      case PackedElem::s16:
        return pack_a_with_kg<true>(cfg.b_kg, nr, columns, b.ld, valid, rows, k, kpad, 0,
                                    static_cast<std::int16_t*>(dst) + j0 * kpad, col_sums + j0);
      case PackedElem::u8:
      case PackedElem::a_type:
        break;
    }
    throw Error("internal: unsupported packed B element type");
  }
  switch (cfg.b_elem) {
    case PackedElem::s8:
      pack_b_kn_as(cfg, b, static_cast<std::int8_t*>(dst), col_sums, panel_begin, panel_end);
      return;
    case PackedElem::s16:
      pack_b_kn_as(cfg, b, static_cast<std::int16_t*>(dst), col_sums, panel_begin, panel_end);
      return;
    case PackedElem::u8:
    case PackedElem::a_type:
      break;  // B is int8: no path packs it as uint8
  }
  throw Error("internal: unsupported packed B element type");
}

void pack_a(const PathConfig& cfg, int mr, const ADesc& a, std::int64_t row0, std::int64_t rows,
            std::int64_t k0, std::int64_t kc, void* dst, std::int32_t* row_sums) {
  // The path's own packer, where it has one and takes the block.
  if (cfg.pack_a_block != nullptr && a.type != AType::f32 &&
      cfg.pack_a_block(
          static_cast<const std::uint8_t*>(a.data) + row0 * a.ld + k0, a.ld,
          std::min(rows, a.rows - row0), rows, mr, kc,
          static_cast<std::int64_t>(round_up(static_cast<std::size_t>(kc), cfg.k_unit)),
          a_offset(cfg, a.type) != 0, static_cast<std::uint8_t*>(dst), row_sums,
          a.type == AType::s8)) {
    return;
  }
  switch (cfg.a_elem) {
    case PackedElem::u8:
      return pack_a_dst<std::uint8_t>(cfg, mr, a, row0, rows, k0, kc, dst, row_sums);
    case PackedElem::s8:
      return pack_a_dst<std::int8_t>(cfg, mr, a, row0, rows, k0, kc, dst, row_sums);
    case PackedElem::s16:
      return pack_a_dst<std::int16_t>(cfg, mr, a, row0, rows, k0, kc, dst, row_sums);
    case PackedElem::a_type:
      if (a.type == AType::s8) {
        return pack_a_dst<std::int8_t>(cfg, mr, a, row0, rows, k0, kc, dst, row_sums);
      }
      return pack_a_dst<std::uint8_t>(cfg, mr, a, row0, rows, k0, kc, dst, row_sums);
  }
}

}  // namespace i8gemm::detail
