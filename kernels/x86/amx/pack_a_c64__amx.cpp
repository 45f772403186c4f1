// The amx path's packer of whole A panels (PathConfig::pack_a_panel): any MR, K groups of 64,
// group g of row r a copy of the row's bytes [64 g, 64 g + 64) at (g * MR + r) * 64 in the panel.
// pack.cpp's SSE2 copier moves 16 bytes at a time and is bound by its instruction count: packing
// a 256 x 256 A (in L2) took 5.5 us there against 1.9 us a zmm at a time, and the calls ran
// faster by more than that with A rotated through memory (binaries alternating, minima of 4
// rounds, new / old time: int8 256^3 0.84, int32 256^3 0.82, 127 x 255 x 333 0.91, 1024^3 0.95,
// the dynamic call at 384 x 1024^2 0.97). avx512vnni's 8-row transposer written the same way
// (zmm unpacks and lane permutes, 3 times as fast alone) gained 1-2 % at 64^3 and lost 2-5 % at
// 16^3 and 32^3, so that path keeps pack.cpp's.
#include <immintrin.h>

#include "framework/path_definition.hpp"
#include "framework/prefetch.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

std::int64_t i8gemm_pack_a_c64__amx(const std::uint8_t* a, std::int64_t lda, int mr,
                                    std::int64_t groups, bool flip, std::uint8_t* out,
                                    std::uint32_t* sums, bool signed_sums, std::uintptr_t ahead) {
  const __m512i flip_bits = _mm512_set1_epi8(flip ? static_cast<char>(0x80) : 0);
  // Row sums with vpsadbw, which adds unsigned bytes: int8 bytes are summed as (byte ^ 0x80) - 128.
  const __m512i sum_flip = _mm512_set1_epi8(signed_sums ? static_cast<char>(0x80) : 0);
  // Row by row, so that each row is read in order.
  for (int r = 0; r < mr; ++r) {
    const std::uint8_t* src = a + r * lda;
    std::uint8_t* dst = out + r * 64;
    __m512i total = _mm512_setzero_si512();
    for (std::int64_t g = 0; g < groups; ++g) {
      if (ahead != 0) {
        const std::uintptr_t line = reinterpret_cast<std::uintptr_t>(src + g * 64) + ahead;
        prefetch_lines<0>(line, line + 1);
      }
      const __m512i v = _mm512_xor_si512(_mm512_loadu_si512(src + g * 64), flip_bits);
      _mm512_storeu_si512(dst + g * mr * 64, v);
      if (sums != nullptr) {
        total = _mm512_add_epi64(
            total, _mm512_sad_epu8(_mm512_xor_si512(v, sum_flip), _mm512_setzero_si512()));
      }
    }
    if (sums != nullptr) {
      // Modulo 2^32, like the row sums it feeds.
      sums[r] += static_cast<std::uint32_t>(_mm512_reduce_add_epi64(total)) -
                 (signed_sums ? 128u * static_cast<std::uint32_t>(groups * 64) : 0u);
    }
  }
  return groups;
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
