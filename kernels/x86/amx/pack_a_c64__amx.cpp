// The amx path's packer of A (PathConfig::pack_a_block): any MR, K groups of 64, group g of a
// panel's row r a copy of the row's bytes [64 g, 64 g + 64) at (g * MR + r) * 64 in the panel,
// the last group's bytes past K and the rows past A's zeros.
//
// pack.cpp's SSE2 copier moves 16 bytes at a time and is bound by its instruction count (a
// 256 x 256 A in L2: 5.5 us, against 1.9 us a zmm at a time), and its K tail and partial panels
// go a byte or a word at a time. Binaries alternating, A and C rotated through memory, minima of 5
// rounds, new / old time: whole panels (259a9eb) int8 256^3 0.85, int32 256^3 0.82, 64^3 0.86,
// 127 x 255 x 333 0.91, 384 x 1024^2 0.95, the dynamic call at 384 x 1024^2 0.99; then the K tail
// and partial panels too: 127 x 255 x 333 0.87, 100 x 200 x 333 0.88, 20 x 1024^2 0.98, int32
// 200 x 300 x 100 0.93. (avx512vnni's 8-row transposer written a zmm at a time, 3 times as fast
// alone, gained 1-2 % at 64^3 and lost 2-5 % at 16^3 and 32^3: that path keeps pack.cpp's.)
#include <immintrin.h>

#include <algorithm>

#include "framework/path_definition.hpp"
#include "framework/prefetch.hpp"

namespace i8gemm::detail::I8GEMM_ISA_NS {

namespace {

// One panel: its first `rows` rows from A at `a`, the rest of the mr zeros.
void pack_panel(const std::uint8_t* a, std::int64_t lda, int rows, int mr, std::int64_t kc,
                std::int64_t kcpad, std::uint8_t* out, std::int32_t* row_sums, bool signed_a,
                std::uintptr_t ahead) {
  const std::int64_t full = kc / 64, groups = kcpad / 64;
  // The last group's bytes past kc load as zeros (and nothing past kc is read).
  const __mmask64 tail = (__mmask64{1} << (kc % 64)) - 1;
  // Row sums with vpsadbw, which adds unsigned bytes: int8 bytes are summed as (byte ^ 0x80) - 128
  // (a zero of the padding adds 128 - 128).
  const __m512i sum_flip = _mm512_set1_epi8(signed_a ? static_cast<char>(0x80) : 0);
  const std::size_t group_stride = static_cast<std::size_t>(mr) * 64;
  // Row by row, so that each row is read in order.
  for (int r = 0; r < rows; ++r) {
    const std::uint8_t* src = a + r * lda;
    std::uint8_t* dst = out + r * 64;
    __m512i total = _mm512_setzero_si512();
    for (std::int64_t g = 0; g < groups; ++g) {
      __m512i v = _mm512_setzero_si512();
      if (g < full) {
        if (ahead != 0) prefetch_line_ahead(src + g * 64, ahead);
        v = _mm512_loadu_si512(src + g * 64);
      } else if (g == full) {
        v = _mm512_maskz_loadu_epi8(tail, src + g * 64);
      }
      _mm512_storeu_si512(dst + g * group_stride, v);
      if (row_sums != nullptr) {
        total = _mm512_add_epi64(
            total, _mm512_sad_epu8(_mm512_xor_si512(v, sum_flip), _mm512_setzero_si512()));
      }
    }
    if (row_sums != nullptr) {
      // Modulo 2^32, like the row sums.
      const auto sum = static_cast<std::uint32_t>(_mm512_reduce_add_epi64(total)) -
                       (signed_a ? 128u * static_cast<std::uint32_t>(groups * 64) : 0u);
      row_sums[r] = static_cast<std::int32_t>(static_cast<std::uint32_t>(row_sums[r]) + sum);
    }
  }
  for (int r = rows; r < mr; ++r) {
    for (std::int64_t g = 0; g < groups; ++g) {
      _mm512_storeu_si512(out + r * 64 + g * group_stride, _mm512_setzero_si512());
    }
  }
}

}  // namespace

bool i8gemm_pack_a_c64__amx(const std::uint8_t* a, std::int64_t lda, std::int64_t valid_rows,
                            std::int64_t rows, int mr, std::int64_t kc, std::int64_t kcpad,
                            bool flip, std::uint8_t* out, std::int32_t* row_sums, bool signed_a) {
  if (flip) return false;  // (amx packs A as given: no offset)
  const std::size_t panel_bytes = static_cast<std::size_t>(mr * kcpad);
  for (std::int64_t r0 = 0; r0 < rows; r0 += mr, out += panel_bytes) {
    const std::int64_t valid = std::clamp<std::int64_t>(valid_rows - r0, 0, mr);
    // (No pointer past A's rows is formed: a panel of padding reads nothing.)
    const std::uint8_t* const panel_rows = valid > 0 ? a + r0 * lda : nullptr;
    const std::uintptr_t ahead = r0 + valid - 1 + kPackAheadRows < valid_rows
                                     ? static_cast<std::uintptr_t>(kPackAheadRows * lda)
                                     : 0;
    pack_panel(panel_rows, lda, static_cast<int>(valid), mr, kc, kcpad, out,
               row_sums != nullptr ? row_sums + r0 : nullptr, signed_a, ahead);
  }
  return true;
}

}  // namespace i8gemm::detail::I8GEMM_ISA_NS
