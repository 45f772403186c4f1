// The avx2 path's packer of A (PathConfig::pack_a_block): MR 1, 2, 4 or 6, A's bytes widened to
// int16 in K pairs, pair g of a panel's row r the int32 at g * MR + r, a last odd byte paired with
// zero, the pairs past K and the rows past A's zeros.
//
// Each row's next 16 bytes widen in one vpmovsxbw (vpmovzxbw for uint8 A) to its next 8 pairs,
// and the MR rows' vectors are transposed in registers into 8 groups of MR pairs, a block of
// panels in one call. The framework's SSE2 packer (pack.cpp), which the other int16 paths keep,
// widens 8 bytes of a row at a time into 4 groups, for 4 rows and then 2 of an MR of 6, through
// four calls a panel: a 16^3 call spent 874 instructions packing A (callgrind), 17 % of its
// samples, against 417 here. Benchmark binaries alternating, 5 rounds, medians, new / old time:
// 16^3 int32 0.93, int8 0.97, fp32 scales 0.94; 32^3 0.94-0.96; 64^3 0.97-0.98; 256^3 and
// 384 x 1024^2 0.99-1.00; 1 x 1024^2 0.95-0.98.
#include <immintrin.h>

#include <algorithm>
#include <cstring>
#include <type_traits>

#include "framework/path_definition.hpp"
#include "framework/prefetch.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {
namespace {

template <bool kSigned>
[[gnu::always_inline]] inline __m256i widen_16(const std::uint8_t* at) {
  const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
  return kSigned ? _mm256_cvtepi8_epi16(bytes) : _mm256_cvtepu8_epi16(bytes);
}

// Groups 0..7 of kMr rows (v[r]: the row's 8 pairs) to `out`, group g at out + g * kMr.
template <int kMr>
[[gnu::always_inline]] inline void store_groups(const __m256i* v, std::int32_t* out) {
  if constexpr (kMr == 1) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), v[0]);
  } else if constexpr (kMr == 2) {
    // Lanes: [g0 g1 | g4 g5] and [g2 g3 | g6 g7].
    const __m256i u = _mm256_unpacklo_epi32(v[0], v[1]);
    const __m256i w = _mm256_unpackhi_epi32(v[0], v[1]);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out), _mm256_permute2x128_si256(u, w, 0x20));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 8), _mm256_permute2x128_si256(u, w, 0x31));
  } else {
    // Rows 0-3: x[g] holds group g (lane 0) and g + 4 (lane 1).
    const __m256i t0 = _mm256_unpacklo_epi32(v[0], v[1]);
    const __m256i t1 = _mm256_unpackhi_epi32(v[0], v[1]);
    const __m256i t2 = _mm256_unpacklo_epi32(v[2], v[3]);
    const __m256i t3 = _mm256_unpackhi_epi32(v[2], v[3]);
    const __m256i x[4] = {_mm256_unpacklo_epi64(t0, t2), _mm256_unpackhi_epi64(t0, t2),
                          _mm256_unpacklo_epi64(t1, t3), _mm256_unpackhi_epi64(t1, t3)};
    if constexpr (kMr == 4) {
      // (The permutes' selectors are literals: immediates even at -O0.)
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out),
                          _mm256_permute2x128_si256(x[0], x[1], 0x20));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 8),
                          _mm256_permute2x128_si256(x[2], x[3], 0x20));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 16),
                          _mm256_permute2x128_si256(x[0], x[1], 0x31));
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + 24),
                          _mm256_permute2x128_si256(x[2], x[3], 0x31));
    } else {
      static_assert(kMr == 6, "avx2's MRs are 1, 2, 4 and 6");
      // Rows 4-5: [g0 g1 | g4 g5] and [g2 g3 | g6 g7], a group's two pairs 8 bytes.
      const __m256i u = _mm256_unpacklo_epi32(v[4], v[5]);
      const __m256i w = _mm256_unpackhi_epi32(v[4], v[5]);
      for (int h = 0; h < 2; ++h) {
        const __m128i lo[2] = {h == 0 ? _mm256_castsi256_si128(u) : _mm256_extracti128_si256(u, 1),
                               h == 0 ? _mm256_castsi256_si128(w) : _mm256_extracti128_si256(w, 1)};
        for (int q = 0; q < 4; ++q) {
          const int g = 4 * h + q;
          const __m128i four =
              h == 0 ? _mm256_castsi256_si128(x[q]) : _mm256_extracti128_si256(x[q], 1);
          _mm_storeu_si128(reinterpret_cast<__m128i*>(out + g * 6), four);
          const __m128i two = lo[q / 2];
          if (q % 2 == 0) {
            _mm_storel_epi64(reinterpret_cast<__m128i*>(out + g * 6 + 4), two);
          } else {
            // (movhps through the builtin: no double stored into int32 memory, no alignment.)
            _mm_storeh_pi(reinterpret_cast<__m64*>(out + g * 6 + 4), _mm_castsi128_ps(two));
          }
        }
      }
    }
  }
}

// One panel: `rows` (kFull: kMr) rows of A at `a`, the rest of the kMr zeros.
template <int kMr, bool kSigned, bool kFull>
[[gnu::always_inline]] inline void pack_panel(const std::uint8_t* a, std::int64_t lda, int rows,
                                              std::int64_t kc, std::int64_t groups,
                                              std::int32_t* out, std::int32_t* row_sums,
                                              std::uintptr_t ahead) {
  if constexpr (kFull) rows = kMr;
  const std::int64_t whole = std::min(kc / 16, groups / 8);  // chunks of 16 bytes read as they are
  const __m256i ones = _mm256_set1_epi16(1);
  __m256i totals[kMr];
#pragma GCC unroll 8
  for (int r = 0; r < kMr; ++r) totals[r] = _mm256_setzero_si256();
  std::int64_t c = 0;
  for (; c < whole; ++c) {
    if (ahead != 0 && c % 4 == 0) {
      for (int r = 0; r < rows; ++r) prefetch_line_ahead(a + r * lda + c * 16, ahead);
    }
    __m256i v[kMr];
#pragma GCC unroll 8
    for (int r = 0; r < kMr; ++r) {
      v[r] = kFull || r < rows ? widen_16<kSigned>(a + r * lda + c * 16) : _mm256_setzero_si256();
    }
    if (row_sums != nullptr) {
#pragma GCC unroll 8
      for (int r = 0; r < kMr; ++r) {
        totals[r] = _mm256_add_epi32(totals[r], _mm256_madd_epi16(v[r], ones));
      }
    }
    store_groups<kMr>(v, out + c * 8 * kMr);
  }
  if (c * 8 < groups) {
    // K's last bytes, those past it zeros (and not read), and the groups up to kcpad.
    const auto bytes = static_cast<std::size_t>(std::clamp<std::int64_t>(kc - c * 16, 0, 16));
    __m256i v[kMr];
    for (int r = 0; r < kMr; ++r) {
      alignas(16) std::uint8_t tail[16] = {};
      if (r < rows) std::memcpy(tail, a + r * lda + c * 16, bytes);
      v[r] = widen_16<kSigned>(tail);
      if (row_sums != nullptr) {
        totals[r] = _mm256_add_epi32(totals[r], _mm256_madd_epi16(v[r], ones));
      }
    }
    alignas(32) std::int32_t last[8 * kMr];
    store_groups<kMr>(v, last);
    const std::int64_t here = std::min<std::int64_t>(groups - c * 8, 8);
    std::memcpy(out + c * 8 * kMr, last, static_cast<std::size_t>(here * kMr) * 4);
    // (Groups past the last chunk of K: zeros, for a kcpad beyond K's chunks.)
    for (std::int64_t g = (c + 1) * 8; g < groups; ++g) {
      std::memset(out + g * kMr, 0, sizeof(std::int32_t) * kMr);
    }
  }
  if (row_sums != nullptr) {
    for (int r = 0; r < rows; ++r) {
      const __m128i s =
          _mm_add_epi32(_mm256_castsi256_si128(totals[r]), _mm256_extracti128_si256(totals[r], 1));
      const __m128i s2 = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
      const auto sum = static_cast<std::uint32_t>(
          _mm_cvtsi128_si32(_mm_add_epi32(s2, _mm_shuffle_epi32(s2, 1))));
      row_sums[r] = static_cast<std::int32_t>(static_cast<std::uint32_t>(row_sums[r]) + sum);
    }
  }
}

template <int kMr, bool kSigned>
void pack_block(const std::uint8_t* a, std::int64_t lda, std::int64_t valid_rows, std::int64_t rows,
                std::int64_t kc, std::int64_t kcpad, std::int32_t* out, std::int32_t* row_sums) {
  const std::int64_t groups = kcpad / 2;
  for (std::int64_t r0 = 0; r0 < rows; r0 += kMr, out += groups * kMr) {
    const std::int64_t valid = std::clamp<std::int64_t>(valid_rows - r0, 0, kMr);
    // (No pointer past A's rows is formed: a panel of padding reads nothing.)
    const std::uint8_t* const panel_rows = valid > 0 ? a + r0 * lda : nullptr;
    const std::uintptr_t ahead = r0 + valid - 1 + kPackAheadRows < valid_rows
                                     ? static_cast<std::uintptr_t>(kPackAheadRows * lda)
                                     : 0;
    std::int32_t* sums = row_sums != nullptr ? row_sums + r0 : nullptr;
    if (valid == kMr) {
      pack_panel<kMr, kSigned, true>(panel_rows, lda, kMr, kc, groups, out, sums, ahead);
    } else {
      pack_panel<kMr, kSigned, false>(panel_rows, lda, static_cast<int>(valid), kc, groups, out,
                                      sums, ahead);
    }
  }
}

}  // namespace

bool i8gemm_pack_a_c2__avx2(const std::uint8_t* a, std::int64_t lda, std::int64_t valid_rows,
                            std::int64_t rows, int mr, std::int64_t kc, std::int64_t kcpad,
                            bool flip, std::uint8_t* out, std::int32_t* row_sums, bool signed_a) {
  if (flip) return false;  // (avx2 widens A as given: no offset)
  auto* const pairs = reinterpret_cast<std::int32_t*>(out);
  const auto pack = [&](auto mr_constant) {
    constexpr int kMr = decltype(mr_constant)::value;
    (signed_a ? pack_block<kMr, true> : pack_block<kMr, false>)(a, lda, valid_rows, rows, kc, kcpad,
                                                                pairs, row_sums);
    return true;
  };
  switch (mr) {
    case 6:
      return pack(std::integral_constant<int, 6>{});
    case 4:
      return pack(std::integral_constant<int, 4>{});
    case 2:
      return pack(std::integral_constant<int, 2>{});
    case 1:
      return pack(std::integral_constant<int, 1>{});
    default:
      return false;
  }
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
