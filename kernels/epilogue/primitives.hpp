// The few per-arch operations the epilogue needs and xsimd 8.1 lacks: the high half of a
// 32x32 -> 64-bit product (SaturatingRoundingDoublingHighMul) and narrowing stores of int32
// lanes already clamped to the output range.
#pragma once

#include "framework/isa_namespace.hpp"

#include <cstdint>
#include <cstring>
#include <limits>

#include <xsimd/xsimd.hpp>

#if defined(__x86_64__)
#include <immintrin.h>
#endif
#if defined(__aarch64__)
#include <arm_neon.h>
#endif

namespace i8gemm::I8GEMM_ISA_NS::epilogue {

// SaturatingRoundingDoublingHighMul(a, m) for m in [2^30, 2^31) or 0: never both INT32_MIN, so
// it never saturates. gemmlowp's (a*m + nudge) / 2^31 with its truncating division equals the
// floor (a*m + 2^30) >> 31 for both signs of a*m, which is what the lanes compute.
template <class Arch>
xsimd::batch<std::int32_t, Arch> rounding_doubling_high_mul(xsimd::batch<std::int32_t, Arch> a,
                                                            xsimd::batch<std::int32_t, Arch> m);

// Stores the first `count` lanes of v (each already within T's range) as T.
template <typename T, class Arch>
void store_narrow(T* dst, xsimd::batch<std::int32_t, Arch> v, int count);
// The same for any int32 lanes, each clamped to T's range first.
template <typename T, class Arch>
void store_narrow_saturating(T* dst, xsimd::batch<std::int32_t, Arch> v, int count);
// Two whole vectors, a then b, as 2 * size T's: lanes within T's range, or any lanes.
template <typename T, class Arch>
void store_narrow_pair(T* dst, xsimd::batch<std::int32_t, Arch> a,
                       xsimd::batch<std::int32_t, Arch> b);
template <typename T, class Arch>
void store_narrow_pair_saturating(T* dst, xsimd::batch<std::int32_t, Arch> a,
                                  xsimd::batch<std::int32_t, Arch> b);

// Per-lane shifts by per-lane counts in [0, 31]: left (the bits shifted out are dropped, no
// signed overflow) and arithmetic right. xsimd 8.1 does these lane by lane on AVX-512, with a
// signed left shift that is undefined for negative lanes.
template <class Arch>
xsimd::batch<std::int32_t, Arch> shift_left(xsimd::batch<std::int32_t, Arch> x,
                                            xsimd::batch<std::int32_t, Arch> count);
template <class Arch>
xsimd::batch<std::int32_t, Arch> shift_right(xsimd::batch<std::int32_t, Arch> x,
                                             xsimd::batch<std::int32_t, Arch> count);

// x / 2^e rounded to nearest, ties away from zero (gemmlowp's RoundingDivideByPOT), for e in
// [0, 31], with mask = 2^e - 1 and half = mask >> 1 computed once per column block.
template <class Arch>
xsimd::batch<std::int32_t, Arch> rounding_divide_by_pot(xsimd::batch<std::int32_t, Arch> x,
                                                        xsimd::batch<std::int32_t, Arch> e,
                                                        xsimd::batch<std::int32_t, Arch> mask,
                                                        xsimd::batch<std::int32_t, Arch> half);

// RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, m0), e), the fixed-point multiply
// (e in [0, 31], m0 in [2^30, 2^31) or 0), with what it needs per column block computed once:
// the two steps above.
template <class Arch>
class RoundingMultiply;
// The same for multipliers below 1/2 (e >= 1 in every lane): RoundingMultiply, except on
// AVX-512 and AVX2, where one rounding of the 64-bit product is cheaper.
template <class Arch>
class MultiplyBelowHalf;

// cond ? a : b on int32 lanes (xsimd 8.1's select for int32 on avx512bw does not compile
// without optimization).
template <class Arch>
xsimd::batch<std::int32_t, Arch> select_i32(xsimd::batch_bool<std::int32_t, Arch> cond,
                                            xsimd::batch<std::int32_t, Arch> a,
                                            xsimd::batch<std::int32_t, Arch> b);

#if defined(__AVX512BW__)
template <>
inline xsimd::batch<std::int32_t, xsimd::avx512bw> shift_left(
    xsimd::batch<std::int32_t, xsimd::avx512bw> x, xsimd::batch<std::int32_t, xsimd::avx512bw> n) {
  return _mm512_sllv_epi32(x, n);
}
template <>
inline xsimd::batch<std::int32_t, xsimd::avx512bw> shift_right(
    xsimd::batch<std::int32_t, xsimd::avx512bw> x, xsimd::batch<std::int32_t, xsimd::avx512bw> n) {
  return _mm512_srav_epi32(x, n);
}
template <>
inline xsimd::batch<std::int32_t, xsimd::avx512bw> rounding_doubling_high_mul(
    xsimd::batch<std::int32_t, xsimd::avx512bw> a, xsimd::batch<std::int32_t, xsimd::avx512bw> m) {
  // Each 64-bit lane's (a m + 2^30) >> 31 is wanted as 32 bits: for the even lanes in the low
  // half (a shift right by 31), for the odd ones in the high half, where doubling the sum puts
  // bits 31..62 (one add instead of two shifts). The other half of each is blended away.
  const __m512i nudge = _mm512_set1_epi64(std::int64_t{1} << 30);
  const __m512i even = _mm512_srli_epi64(_mm512_add_epi64(_mm512_mul_epi32(a, m), nudge), 31);
  const __m512i odd =
      _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(m, 32)), nudge);
  return _mm512_mask_blend_epi32(0xAAAA, even, _mm512_add_epi64(odd, odd));
}
template <>
inline xsimd::batch<std::int32_t, xsimd::avx512bw> rounding_divide_by_pot(
    xsimd::batch<std::int32_t, xsimd::avx512bw> x, xsimd::batch<std::int32_t, xsimd::avx512bw> e,
    xsimd::batch<std::int32_t, xsimd::avx512bw> mask,
    xsimd::batch<std::int32_t, xsimd::avx512bw> half) {
  const __m512i remainder = _mm512_and_si512(x, mask);
  const __m512i threshold = _mm512_sub_epi32(half, _mm512_srai_epi32(x, 31));
  const __mmask16 round_up = _mm512_cmpgt_epi32_mask(remainder, threshold);
  const __m512i quotient = _mm512_srav_epi32(x, e);
  return _mm512_mask_sub_epi32(quotient, round_up, quotient, _mm512_set1_epi32(-1));
}
// One rounding of the exact 64-bit product instead of two on int32 lanes (16 vector uops a row
// of 16 where the two steps take 18, at 64^3 about 5 % of a call). With p = x m0 (|p| < 2^62)
// and s = 31 + e, the two steps are
//   floor((p + 2^30 + 2^(30+e) - 2^31 [p < 0]) / 2^s),
// because RoundingDivideByPOT(h, e) = floor((h + 2^(e-1) - [h < 0]) / 2^e) for e >= 1, and
// floor(floor(a / 2^31) / 2^e) = floor(a / 2^s). The sign test belongs to h = floor((p + 2^30)
// / 2^31), but h and p differ in sign only for p in [-2^30, 0), where both forms give 0 when
// e >= 1. p < 0 is tested as p + r < r, r = 2^30 + 2^(30+e), so m0 = 0 needs no case. The even
// int32 lanes use their 64-bit lane's low half; the odd ones are shifted down first and their
// result is shifted by s - 32 only, which leaves it in the high half, where the blend takes it.
template <>
class MultiplyBelowHalf<xsimd::avx512bw> {
 public:
  using I32 = xsimd::batch<std::int32_t, xsimd::avx512bw>;
  MultiplyBelowHalf(I32 m0, I32 e)
      : m0_even_(m0),
        m0_odd_(_mm512_srli_epi64(m0, 32)),
        round_even_(rounding(_mm512_and_si512(e, _mm512_set1_epi64(0xffffffff)))),
        round_odd_(rounding(_mm512_srli_epi64(e, 32))),
        shift_even_(_mm512_add_epi64(_mm512_and_si512(e, _mm512_set1_epi64(0xffffffff)),
                                     _mm512_set1_epi64(31))),
        shift_odd_(_mm512_sub_epi64(_mm512_srli_epi64(e, 32), _mm512_set1_epi64(1))) {}

  I32 operator()(I32 x) const {
    const __m512i even = divide(_mm512_mul_epi32(x, m0_even_), round_even_, shift_even_);
    const __m512i odd =
        divide(_mm512_mul_epi32(_mm512_srli_epi64(x, 32), m0_odd_), round_odd_, shift_odd_);
    return _mm512_mask_blend_epi32(0xAAAA, even, odd);
  }

 private:
  static __m512i rounding(__m512i e64) {
    const __m512i bit30 = _mm512_set1_epi64(std::int64_t{1} << 30);
    return _mm512_add_epi64(bit30, _mm512_sllv_epi64(bit30, e64));
  }
  static __m512i divide(__m512i p, __m512i round, __m512i shift) {
    const __m512i sum = _mm512_add_epi64(p, round);
    const __m512i nudged = _mm512_mask_sub_epi64(sum, _mm512_cmplt_epi64_mask(sum, round), sum,
                                                 _mm512_set1_epi64(std::int64_t{1} << 31));
    return _mm512_srav_epi64(nudged, shift);
  }

  __m512i m0_even_, m0_odd_, round_even_, round_odd_, shift_even_, shift_odd_;
};
template <>
inline xsimd::batch<std::int32_t, xsimd::avx512bw> select_i32(
    xsimd::batch_bool<std::int32_t, xsimd::avx512bw> cond,
    xsimd::batch<std::int32_t, xsimd::avx512bw> a, xsimd::batch<std::int32_t, xsimd::avx512bw> b) {
  return _mm512_mask_blend_epi32(static_cast<__mmask16>(cond), b, a);
}
// vpmovdb straight to memory is several uops and slow on Intel cores: narrow in registers,
// then one plain (or byte-masked, for a tail) 16-byte store.
inline void store_bytes_avx512(void* dst, __m128i bytes, int count) {
  if (count == 16) {
    _mm_storeu_si128(static_cast<__m128i*>(dst), bytes);
  } else {
    _mm_mask_storeu_epi8(dst, static_cast<__mmask16>((1u << count) - 1), bytes);
  }
}
inline void store_narrow_avx512(void* dst, __m512i v, int count) {
  store_bytes_avx512(dst, _mm512_cvtepi32_epi8(v), count);
}
template <>
inline void store_narrow<std::int8_t, xsimd::avx512bw>(
    std::int8_t* dst, xsimd::batch<std::int32_t, xsimd::avx512bw> v, int count) {
  store_narrow_avx512(dst, v, count);
}
template <>
inline void store_narrow<std::uint8_t, xsimd::avx512bw>(
    std::uint8_t* dst, xsimd::batch<std::int32_t, xsimd::avx512bw> v, int count) {
  store_narrow_avx512(dst, v, count);
}
// vpmovsdb saturates to int8; vpmovusdb reads its lanes as unsigned, so negative ones are
// raised to 0 first.
template <>
inline void store_narrow_saturating<std::int8_t, xsimd::avx512bw>(
    std::int8_t* dst, xsimd::batch<std::int32_t, xsimd::avx512bw> v, int count) {
  store_bytes_avx512(dst, _mm512_cvtsepi32_epi8(v), count);
}
template <>
inline void store_narrow_saturating<std::uint8_t, xsimd::avx512bw>(
    std::uint8_t* dst, xsimd::batch<std::int32_t, xsimd::avx512bw> v, int count) {
  store_bytes_avx512(dst, _mm512_cvtusepi32_epi8(_mm512_max_epi32(v, _mm512_setzero_si512())),
                     count);
}
#endif

#if defined(__AVX2__) && !defined(__AVX512BW__)
// Lanes already within the output type: two 128-bit packs keep their order (the 256-bit packs
// would interleave the halves); uint8 needs the unsigned-saturating pack for 128..255.
template <bool kUnsigned>
inline void store_narrow_avx2(void* dst, __m256i v, int count) {
  const __m128i words = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  const __m128i bytes = kUnsigned ? _mm_packus_epi16(words, words) : _mm_packs_epi16(words, words);
  if (count == 8) {
    _mm_storel_epi64(static_cast<__m128i*>(dst), bytes);
  } else {
    alignas(16) std::uint8_t lanes[16];
    _mm_store_si128(reinterpret_cast<__m128i*>(lanes), bytes);
    std::memcpy(dst, lanes, static_cast<std::size_t>(count));
  }
}
template <>
inline void store_narrow<std::int8_t, xsimd::avx2>(std::int8_t* dst,
                                                   xsimd::batch<std::int32_t, xsimd::avx2> v,
                                                   int count) {
  store_narrow_avx2<false>(dst, v, count);
}
template <>
inline void store_narrow<std::uint8_t, xsimd::avx2>(std::uint8_t* dst,
                                                    xsimd::batch<std::int32_t, xsimd::avx2> v,
                                                    int count) {
  store_narrow_avx2<true>(dst, v, count);
}
// The packs saturate (int32 to int16, then int16 to int8 or uint8): any lanes.
template <>
inline void store_narrow_saturating<std::int8_t, xsimd::avx2>(
    std::int8_t* dst, xsimd::batch<std::int32_t, xsimd::avx2> v, int count) {
  store_narrow_avx2<false>(dst, v, count);
}
template <>
inline void store_narrow_saturating<std::uint8_t, xsimd::avx2>(
    std::uint8_t* dst, xsimd::batch<std::int32_t, xsimd::avx2> v, int count) {
  store_narrow_avx2<true>(dst, v, count);
}
// 16 lanes in one store: the 256-bit packs leave the dwords of a and b interleaved by 128-bit
// half (a0-3 b0-3 a4-7 b4-7 as words, then bytes twice over), and one permute of dwords puts them
// in order. Half the instructions of two single stores (one pack, extract and store less each).
template <bool kUnsigned>
inline void store_narrow_pair_avx2(void* dst, __m256i a, __m256i b) {
  const __m256i words = _mm256_packs_epi32(a, b);
  const __m256i bytes =
      kUnsigned ? _mm256_packus_epi16(words, words) : _mm256_packs_epi16(words, words);
  const __m256i ordered =
      _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 0, 0, 0, 0));
  _mm_storeu_si128(static_cast<__m128i*>(dst), _mm256_castsi256_si128(ordered));
}
template <>
inline void store_narrow_pair<std::int8_t, xsimd::avx2>(std::int8_t* dst,
                                                        xsimd::batch<std::int32_t, xsimd::avx2> a,
                                                        xsimd::batch<std::int32_t, xsimd::avx2> b) {
  store_narrow_pair_avx2<false>(dst, a, b);
}
template <>
inline void store_narrow_pair<std::uint8_t, xsimd::avx2>(
    std::uint8_t* dst, xsimd::batch<std::int32_t, xsimd::avx2> a,
    xsimd::batch<std::int32_t, xsimd::avx2> b) {
  store_narrow_pair_avx2<true>(dst, a, b);
}
template <>
inline void store_narrow_pair_saturating<std::int8_t, xsimd::avx2>(
    std::int8_t* dst, xsimd::batch<std::int32_t, xsimd::avx2> a,
    xsimd::batch<std::int32_t, xsimd::avx2> b) {
  store_narrow_pair_avx2<false>(dst, a, b);
}
template <>
inline void store_narrow_pair_saturating<std::uint8_t, xsimd::avx2>(
    std::uint8_t* dst, xsimd::batch<std::int32_t, xsimd::avx2> a,
    xsimd::batch<std::int32_t, xsimd::avx2> b) {
  store_narrow_pair_avx2<true>(dst, a, b);
}
#endif

#if defined(__AVX2__)
template <>
inline xsimd::batch<std::int32_t, xsimd::avx2> shift_left(
    xsimd::batch<std::int32_t, xsimd::avx2> x, xsimd::batch<std::int32_t, xsimd::avx2> n) {
  return _mm256_sllv_epi32(x, n);
}
template <>
inline xsimd::batch<std::int32_t, xsimd::avx2> shift_right(
    xsimd::batch<std::int32_t, xsimd::avx2> x, xsimd::batch<std::int32_t, xsimd::avx2> n) {
  return _mm256_srav_epi32(x, n);
}
template <>
inline xsimd::batch<std::int32_t, xsimd::avx2> rounding_doubling_high_mul(
    xsimd::batch<std::int32_t, xsimd::avx2> a, xsimd::batch<std::int32_t, xsimd::avx2> m) {
  // AVX2 has no 64-bit arithmetic shift; the low 32 bits of a logical shift are the same.
  // (The odd lanes' result is doubled into the high half, as for AVX-512.)
  const __m256i nudge = _mm256_set1_epi64x(std::int64_t{1} << 30);
  const __m256i even = _mm256_srli_epi64(_mm256_add_epi64(_mm256_mul_epi32(a, m), nudge), 31);
  const __m256i odd =
      _mm256_add_epi64(_mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(m, 32)), nudge);
  return _mm256_blend_epi32(even, _mm256_add_epi64(odd, odd), 0xAA);
}
// One rounding of the 64-bit product, by MultiplyBelowHalf<avx512bw>'s identity (below), with
// two things AVX2 lacks worked around: mask registers and a masked subtract (vblendvpd picks the
// rounding constant by each 64-bit lane's top bit, the sign of p: one µop on a Zen 2 where
// vpcmpgtq, an and and a subtract take three) and a 64-bit arithmetic shift (2^63 is added, so
// that the sum is never negative and the logical shift gives floor(sum / 2^s) + 2^(63-s); the
// 2^(32-e) that leaves in the 32-bit result is taken off after the blend). |p| < 2^62 and the
// constants are below 2^61 + 2^31, so the offset sum stays in [0, 2^64). 11 vector µops for 8
// lanes on a Zen 2 where the two steps take 14 (vblendvpd ymm is two or three µops on Intel
// cores, where avxvnni also runs this: unmeasured here).
template <>
class MultiplyBelowHalf<xsimd::avx2> {
 public:
  using I32 = xsimd::batch<std::int32_t, xsimd::avx2>;
  MultiplyBelowHalf(I32 m0, I32 e)
      : m0_even_(m0),
        m0_odd_(_mm256_srli_epi64(m0, 32)),
        round_even_(rounding(_mm256_and_si256(e, _mm256_set1_epi64x(0xffffffff)))),
        round_odd_(rounding(_mm256_srli_epi64(e, 32))),
        shift_even_(_mm256_add_epi64(_mm256_and_si256(e, _mm256_set1_epi64x(0xffffffff)),
                                     _mm256_set1_epi64x(31))),
        shift_odd_(_mm256_sub_epi64(_mm256_srli_epi64(e, 32), _mm256_set1_epi64x(1))),
        offset_(
            _mm256_sllv_epi32(_mm256_set1_epi32(1), _mm256_sub_epi32(_mm256_set1_epi32(32), e))) {}

  I32 operator()(I32 x) const {
    const __m256i even = divide(_mm256_mul_epi32(x, m0_even_), round_even_, shift_even_);
    const __m256i odd =
        divide(_mm256_mul_epi32(_mm256_srli_epi64(x, 32), m0_odd_), round_odd_, shift_odd_);
    return _mm256_sub_epi32(_mm256_blend_epi32(even, odd, 0xAA), offset_);
  }

 private:
  // 2^30 + 2^(30+e) + 2^63 for p >= 0, 2^31 less for p < 0.
  struct Rounding {
    __m256i non_negative, negative;
  };
  static Rounding rounding(__m256i e64) {
    const __m256i bit30 = _mm256_set1_epi64x(std::int64_t{1} << 30);
    const __m256i r =
        _mm256_add_epi64(_mm256_add_epi64(bit30, _mm256_sllv_epi64(bit30, e64)),
                         _mm256_set1_epi64x(std::numeric_limits<std::int64_t>::min()));
    return {r, _mm256_sub_epi64(r, _mm256_set1_epi64x(std::int64_t{1} << 31))};
  }
  static __m256i divide(__m256i p, const Rounding& round, __m256i shift) {
    const __m256d r = _mm256_blendv_pd(_mm256_castsi256_pd(round.non_negative),
                                       _mm256_castsi256_pd(round.negative), _mm256_castsi256_pd(p));
    return _mm256_srlv_epi64(_mm256_add_epi64(p, _mm256_castpd_si256(r)), shift);
  }

  __m256i m0_even_, m0_odd_;
  Rounding round_even_, round_odd_;
  __m256i shift_even_, shift_odd_, offset_;
};
// The portable form's two sign tests (x >> 31, and the sign of threshold - remainder) as
// compares: the epilogue's int8 rows are bound by their vector uops, and the shifts add to the
// ones the product already needs. avx2 int8 on a Zen 2, binaries alternating, 5 rounds, medians
// (new / old time): 16^3 0.98, 32^3 0.98, 64^3 0.98, 256^3 0.99.
template <>
inline xsimd::batch<std::int32_t, xsimd::avx2> rounding_divide_by_pot(
    xsimd::batch<std::int32_t, xsimd::avx2> x, xsimd::batch<std::int32_t, xsimd::avx2> e,
    xsimd::batch<std::int32_t, xsimd::avx2> mask, xsimd::batch<std::int32_t, xsimd::avx2> half) {
  const __m256i remainder = _mm256_and_si256(x, mask);
  const __m256i threshold = _mm256_sub_epi32(half, _mm256_cmpgt_epi32(_mm256_setzero_si256(), x));
  const __m256i round_up = _mm256_cmpgt_epi32(remainder, threshold);
  return _mm256_sub_epi32(_mm256_srav_epi32(x, e), round_up);
}
#endif

#if defined(__aarch64__)
// sqrdmulh computes (2 a m + 2^31) >> 32 = (a m + 2^30) >> 31, saturating only a = m = INT32_MIN:
// exactly gemmlowp's SaturatingRoundingDoublingHighMul (its NEON version is this instruction).
template <>
inline xsimd::batch<std::int32_t, xsimd::neon64> rounding_doubling_high_mul(
    xsimd::batch<std::int32_t, xsimd::neon64> a, xsimd::batch<std::int32_t, xsimd::neon64> m) {
  return vqrdmulhq_s32(a, m);
}
// sshl shifts left by a positive count and right (arithmetic) by a negative one.
template <>
inline xsimd::batch<std::int32_t, xsimd::neon64> shift_left(
    xsimd::batch<std::int32_t, xsimd::neon64> x, xsimd::batch<std::int32_t, xsimd::neon64> n) {
  return vshlq_s32(x, n);
}
template <>
inline xsimd::batch<std::int32_t, xsimd::neon64> shift_right(
    xsimd::batch<std::int32_t, xsimd::neon64> x, xsimd::batch<std::int32_t, xsimd::neon64> n) {
  return vshlq_s32(x, vnegq_s32(n));
}
template <>
inline xsimd::batch<std::int32_t, xsimd::neon64> select_i32(
    xsimd::batch_bool<std::int32_t, xsimd::neon64> cond,
    xsimd::batch<std::int32_t, xsimd::neon64> a, xsimd::batch<std::int32_t, xsimd::neon64> b) {
  return vbslq_s32(cond, a, b);
}
// The lanes are within the byte type's range: two narrowing moves keep their low bytes, and
// the first `count` of them are stored.
inline void store_narrow_neon64(void* dst, int32x4_t v, int count) {
  const int16x4_t halves = vmovn_s32(v);
  const std::uint32_t bytes =
      vget_lane_u32(vreinterpret_u32_s8(vmovn_s16(vcombine_s16(halves, halves))), 0);
  std::memcpy(dst, &bytes, static_cast<std::size_t>(count));
}
template <>
inline void store_narrow<std::int8_t, xsimd::neon64>(std::int8_t* dst,
                                                     xsimd::batch<std::int32_t, xsimd::neon64> v,
                                                     int count) {
  store_narrow_neon64(dst, v, count);
}
template <>
inline void store_narrow<std::uint8_t, xsimd::neon64>(std::uint8_t* dst,
                                                      xsimd::batch<std::int32_t, xsimd::neon64> v,
                                                      int count) {
  store_narrow_neon64(dst, v, count);
}
#endif

// Portable fallbacks.
template <class Arch>
xsimd::batch<std::int32_t, Arch> shift_left(xsimd::batch<std::int32_t, Arch> x,
                                            xsimd::batch<std::int32_t, Arch> count) {
  constexpr std::size_t n = xsimd::batch<std::int32_t, Arch>::size;
  alignas(64) std::int32_t xv[n], cv[n];
  x.store_aligned(xv);
  count.store_aligned(cv);
  for (std::size_t i = 0; i < n; ++i) {
    xv[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(xv[i]) << cv[i]);
  }
  return xsimd::batch<std::int32_t, Arch>::load_aligned(xv);
}
template <class Arch>
xsimd::batch<std::int32_t, Arch> shift_right(xsimd::batch<std::int32_t, Arch> x,
                                             xsimd::batch<std::int32_t, Arch> count) {
  constexpr std::size_t n = xsimd::batch<std::int32_t, Arch>::size;
  alignas(64) std::int32_t xv[n], cv[n];
  x.store_aligned(xv);
  count.store_aligned(cv);
  for (std::size_t i = 0; i < n; ++i) xv[i] >>= cv[i];
  return xsimd::batch<std::int32_t, Arch>::load_aligned(xv);
}

template <class Arch>
xsimd::batch<std::int32_t, Arch> select_i32(xsimd::batch_bool<std::int32_t, Arch> cond,
                                            xsimd::batch<std::int32_t, Arch> a,
                                            xsimd::batch<std::int32_t, Arch> b) {
  return xsimd::select(cond, a, b);
}

// The remainder is rounded up when it exceeds half (half + 1 for negative x, whose ties go
// down). remainder and threshold are in [0, 2^31): the sign of their difference is the compare.
template <class Arch>
xsimd::batch<std::int32_t, Arch> rounding_divide_by_pot(xsimd::batch<std::int32_t, Arch> x,
                                                        xsimd::batch<std::int32_t, Arch> e,
                                                        xsimd::batch<std::int32_t, Arch> mask,
                                                        xsimd::batch<std::int32_t, Arch> half) {
  const xsimd::batch<std::int32_t, Arch> remainder = x & mask;
  const xsimd::batch<std::int32_t, Arch> threshold = half - (x >> 31);
  return shift_right<Arch>(x, e) - ((threshold - remainder) >> 31);
}

template <class Arch>
class RoundingMultiply {
 public:
  using I32 = xsimd::batch<std::int32_t, Arch>;
  RoundingMultiply(I32 m0, I32 e)
      : m0_(m0), e_(e), mask_(shift_left<Arch>(I32(1), e) - I32(1)), half_(mask_ >> 1) {}
  I32 operator()(I32 x) const {
    return rounding_divide_by_pot<Arch>(rounding_doubling_high_mul(x, m0_), e_, mask_, half_);
  }

 private:
  I32 m0_, e_, mask_, half_;
};

template <class Arch>
class MultiplyBelowHalf : public RoundingMultiply<Arch> {
 public:
  using RoundingMultiply<Arch>::RoundingMultiply;
};

template <class Arch>
xsimd::batch<std::int32_t, Arch> rounding_doubling_high_mul(xsimd::batch<std::int32_t, Arch> a,
                                                            xsimd::batch<std::int32_t, Arch> m) {
  constexpr std::size_t n = xsimd::batch<std::int32_t, Arch>::size;
  alignas(64) std::int32_t av[n], mv[n];
  a.store_aligned(av);
  m.store_aligned(mv);
  for (std::size_t i = 0; i < n; ++i) {
    av[i] =
        static_cast<std::int32_t>((std::int64_t{av[i]} * mv[i] + (std::int64_t{1} << 30)) >> 31);
  }
  return xsimd::batch<std::int32_t, Arch>::load_aligned(av);
}

template <typename T, class Arch>
void store_narrow(T* dst, xsimd::batch<std::int32_t, Arch> v, int count) {
  alignas(64) std::int32_t lanes[xsimd::batch<std::int32_t, Arch>::size];
  v.store_aligned(lanes);
  for (int i = 0; i < count; ++i) dst[i] = static_cast<T>(lanes[i]);
}

template <typename T, class Arch>
void store_narrow_saturating(T* dst, xsimd::batch<std::int32_t, Arch> v, int count) {
  using I32 = xsimd::batch<std::int32_t, Arch>;
  store_narrow<T, Arch>(dst,
                        xsimd::min(xsimd::max(v, I32(std::numeric_limits<T>::min())),
                                   I32(std::numeric_limits<T>::max())),
                        count);
}

template <typename T, class Arch>
void store_narrow_pair(T* dst, xsimd::batch<std::int32_t, Arch> a,
                       xsimd::batch<std::int32_t, Arch> b) {
  constexpr int n = static_cast<int>(xsimd::batch<std::int32_t, Arch>::size);
  store_narrow<T, Arch>(dst, a, n);
  store_narrow<T, Arch>(dst + n, b, n);
}

template <typename T, class Arch>
void store_narrow_pair_saturating(T* dst, xsimd::batch<std::int32_t, Arch> a,
                                  xsimd::batch<std::int32_t, Arch> b) {
  constexpr int n = static_cast<int>(xsimd::batch<std::int32_t, Arch>::size);
  store_narrow_saturating<T, Arch>(dst, a, n);
  store_narrow_saturating<T, Arch>(dst + n, b, n);
}

}  // namespace i8gemm::I8GEMM_ISA_NS::epilogue
