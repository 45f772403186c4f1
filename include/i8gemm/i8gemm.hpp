// i8gemm: exact int8 x int8 -> int32 GEMM with fused output stages.
// The arithmetic is specified in docs/math.md; every ISA path produces the bits of the scalar
// reference ("scalar") for every input.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace i8gemm {

// Every invalid argument is reported by throwing Error; its message names the argument.
class Error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// ---------------------------------------------------------------------------------------------
// ISA paths
// ---------------------------------------------------------------------------------------------

// One bit per path, ruy-style, so that sets of paths are plain masks. The paths, their bits and
// their order of preference are listed once, in i8gemm/paths.inc.
enum class Isa : std::uint32_t {
#define I8GEMM_PATH(name, NAME, bit, rank) name = 1u << (bit),
#include "i8gemm/paths.inc"
};

// CPU features as detected at run time (cpuid/xgetbv on x86, getauxval on aarch64). A feature
// is set only where the operating system also lets a program use it (the saved register state;
// for AMX, the tile data permission).
struct CpuFeatures {
  bool avx2 = false;
  bool avx512f = false;
  bool avx512bw = false;
  bool avx512dq = false;
  bool avx512cd = false;
  bool avx512vl = false;
  bool avx512vnni = false;
  bool avxvnni = false;
  bool amx_tile = false;
  bool amx_int8 = false;
  bool neon = false;
  bool dotprod = false;
  bool i8mm = false;
};
const CpuFeatures& cpu_features();
// Human-readable list of the detected features, e.g. "avx2 avx512f avx512bw ...".
std::string cpu_features_string();

// Every path, in order of preference (worst first).
const std::vector<Isa>& all_isas();
const char* isa_name(Isa isa);
// Parses a path name; throws Error listing the valid names.
Isa parse_isa(const std::string& name);
// Paths compiled into this library.
std::vector<Isa> built_isas();
// Paths built and runnable on this CPU, worst first.
std::vector<Isa> available_isas();
bool is_available(Isa isa);
// What this CPU lacks to run `isa` ("" when it runs), e.g. "CPU lacks avx512_vnni".
std::string unavailable_reason(Isa isa);
// The same decisions for a CPU with `features` (dispatch on a described CPU, not this one).
std::vector<Isa> available_isas(const CpuFeatures& features);
std::string unavailable_reason(Isa isa, const CpuFeatures& features);
// The path used when nothing is forced: I8GEMM_ISA if set (throws Error if that name is
// unknown or not runnable here), else the most preferred available path.
Isa default_isa();
// The most preferred path of this library that a CPU with `features` runs (I8GEMM_ISA is not
// consulted): what default_isa() picks on that CPU.
Isa default_isa(const CpuFeatures& features);

// Cache sizes as the blocking sees them, per core: a shared cache is divided among the cores
// that share it.
struct CacheSizes {
  std::size_t l1d = 0;
  std::size_t l2 = 0;
  std::size_t l3 = 0;
  const char* source = "";  // "cpuid", "sysfs", "cpuid 0x80000005/6; L3 default" or "defaults"
};
// This CPU's, read once: CPUID leaf 4 (0x8000001D on AMD) on x86, else sysfs, else (AMD) the legacy
// leaves 0x80000005/6, else defaults.
const CacheSizes& cache_sizes();

// Cache blocking of one GEMM: rows of A per block (MC), columns of B per block (NC) and depth of
// K per block (KC). Results never depend on it.
struct Blocking {
  std::int64_t mc = 0;
  std::int64_t nc = 0;
  std::int64_t kc = 0;
};
// The blocking path `isa` uses for an M x N x K product on this CPU; I8GEMM_BLOCKING=mc,nc,kc
// overrides it for experiments (each rounded to the path's multiples; 0 keeps the model's).
Blocking blocking(Isa isa, std::int64_t m, std::int64_t n, std::int64_t k);
// The model's blocking on a CPU with `caches` (no override).
Blocking blocking(Isa isa, std::int64_t m, std::int64_t n, std::int64_t k,
                  const CacheSizes& caches);

// ---------------------------------------------------------------------------------------------
// Matrices
// ---------------------------------------------------------------------------------------------

// A non-owning row-major view: element (r, c) is data[r * ld + c]. ld >= cols.
template <typename T>
struct MatrixView {
  T* data = nullptr;
  std::int64_t rows = 0;
  std::int64_t cols = 0;
  std::int64_t ld = 0;

  MatrixView() = default;
  MatrixView(T* data_, std::int64_t rows_, std::int64_t cols_, std::int64_t ld_)
      : data(data_), rows(rows_), cols(cols_), ld(ld_) {}
  // Dense: ld = cols.
  MatrixView(T* data_, std::int64_t rows_, std::int64_t cols_)
      : data(data_), rows(rows_), cols(cols_), ld(cols_) {}
  // A mutable view converts to a read-only one.
  template <typename U, typename = std::enable_if_t<std::is_same_v<const U, T>>>
  MatrixView(const MatrixView<U>& other)  // NOLINT(google-explicit-constructor)
      : data(other.data), rows(other.rows), cols(other.cols), ld(other.ld) {}
};

// How B is stored: K x N row-major, or N x K row-major ("weights as rows", e.g. a PyTorch
// nn.Linear weight).
enum class BLayout { kn, nk };

// A zero point per tensor, or one per row of A (M values) / per column of B (N values).
struct ZeroPoints {
  std::int32_t value = 0;
  const std::int32_t* per_channel = nullptr;  // when set, `value` is ignored

  ZeroPoints() = default;
  ZeroPoints(std::int32_t v) : value(v) {}  // NOLINT(google-explicit-constructor)
  static ZeroPoints tensor(std::int32_t v) { return ZeroPoints(v); }
  static ZeroPoints channel(const std::int32_t* values) {
    ZeroPoints z;
    z.per_channel = values;
    return z;
  }
};

// ---------------------------------------------------------------------------------------------
// Output stages (math.md section 3)
// ---------------------------------------------------------------------------------------------

// A real multiplier m as m0 * 2^(shift - 31), m0 in [2^30, 2^31), shift in [-31, 30]: so m in
// [2^-32, 2^30). shift <= 0 is a right shift by -shift after the high multiply; shift > 0 a
// (saturating) left shift before it, as TensorFlow Lite's MultiplyByQuantizedMultiplier.
//
// No silent zero: m0 = 0 is refused by gemm (a default-constructed QuantizedMultiplier, {0, 0},
// would make every output the zero point), except for the one spelling of a deliberate zero
// multiplier, zero() = {0, kZeroMultiplierShift}, which quantize_multiplier(0.0) returns.
struct QuantizedMultiplier {
  static constexpr std::int32_t kZeroMultiplierShift = -31;
  std::int32_t m0 = 0;
  std::int32_t shift = 0;

  // The explicit zero multiplier: every output is the stage's zero point (clamped).
  static constexpr QuantizedMultiplier zero() { return {0, kZeroMultiplierShift}; }
  constexpr bool is_zero() const { return m0 == 0 && shift == kZeroMultiplierShift; }
};
// TensorFlow Lite's QuantizeMultiplier: frexp, round half away from zero, renormalize; 0.0 gives
// QuantizedMultiplier::zero(). Throws Error naming `multiplier` (its value printed with %g) if
// it is negative, NaN or infinite, below 2^-32 (after rounding: TensorFlow Lite would return
// (0, 0) and zero every output; use OutputFloatScale for such scales) or at least 2^30 (the left
// shift is limited to 30 bits).
QuantizedMultiplier quantize_multiplier(double multiplier);

// acc + bias[j].
struct OutputInt32 {
  using value_type = std::int32_t;
  const std::int32_t* bias = nullptr;  // N values or null
};

// y = clamp(zero_point + MultiplyByQuantizedMultiplier(acc + bias[j], multiplier[j]), min, max)
// `multiplier` (or every per_channel entry) must be set: the default {0, 0} is refused by gemm
// ("multiplier.m0: 0 ..."); QuantizedMultiplier::zero() asks for a zero multiplier on purpose.
template <typename T>
struct OutputFixedPoint {
  static_assert(std::is_same_v<T, std::int8_t> || std::is_same_v<T, std::uint8_t>);
  using value_type = T;
  QuantizedMultiplier multiplier{};                  // per tensor
  const QuantizedMultiplier* per_channel = nullptr;  // N values; overrides `multiplier`
  const std::int32_t* bias = nullptr;                // N values or null
  std::int32_t zero_point = 0;
  std::int32_t min = std::numeric_limits<T>::min();
  std::int32_t max = std::numeric_limits<T>::max();
};

// y = clamp(zero_point + round_half_even(float(acc + bias[j]) * scale[j]), min, max), in fp32.
template <typename T>
struct OutputFloatScale {
  static_assert(std::is_same_v<T, std::int8_t> || std::is_same_v<T, std::uint8_t>);
  using value_type = T;
  float scale = 1.0f;                  // per tensor
  const float* per_channel = nullptr;  // N values; overrides `scale`
  const std::int32_t* bias = nullptr;  // N values or null
  std::int32_t zero_point = 0;
  std::int32_t min = std::numeric_limits<T>::min();
  std::int32_t max = std::numeric_limits<T>::max();
};

// y = clamp((a_scale[i] * b_scale[j]) * float(acc) + bias[j], min, max), in fp32 (dynamic
// quantization).
struct OutputFloat {
  using value_type = float;
  float a_scale = 1.0f;
  const float* a_scales = nullptr;  // M values (per row of A); overrides `a_scale`
  float b_scale = 1.0f;
  const float* b_scales = nullptr;  // N values (per column of B); overrides `b_scale`
  const float* bias = nullptr;      // N values or null
  float min = -std::numeric_limits<float>::infinity();
  float max = std::numeric_limits<float>::infinity();
};

// ---------------------------------------------------------------------------------------------
// Context and packed weights
// ---------------------------------------------------------------------------------------------

struct QuantParams;  // quantize.hpp

namespace detail {
struct ContextState;
struct PackedBState;
}  // namespace detail

// Runs task(0) .. task(n - 1), each exactly once, possibly concurrently, and returns when all
// are done: the hook through which an application's own pool (OpenMP, TBB, ...) runs i8gemm.
using ParallelFor =
    std::function<void(std::size_t n, const std::function<void(std::size_t)>& task)>;

// The most threads a Context runs: above the hardware threads of the largest two-socket
// servers (768), where more threads than cores only add overhead, and far below the system's
// limits on threads per process.
constexpr int kMaxThreads = 1024;

// Owns the dispatch choice, the threads and the scratch memory of GEMM calls. One Context must
// not be used by two threads at once (give each thread its own); a call made while another is
// running on the same Context (from another thread, or from one of its own tasks) throws Error
// ("context: used by two threads at once"). PackedB objects may be shared. Scratch grows to the
// largest call and is then reused: no allocation once warm. A moved-from Context throws Error
// when used. After fork(), the child may use, change and destroy the Contexts it inherited: a
// pool whose workers stayed in the parent is replaced on the next call (and its memory left).
// Every call computes in the default floating-point environment (round to nearest even,
// denormals kept) whatever the caller's rounding mode or FTZ/DAZ, and restores the caller's.
class Context {
 public:
  // Uses default_isa() (honours I8GEMM_ISA) and one thread.
  Context();
  // Forces a path; throws Error if it is not available here.
  explicit Context(Isa isa);
  // A path and a thread count: threads > 1 starts a persistent pool of threads - 1 workers
  // (the calling thread is the other one); throws Error for threads outside [1, kMaxThreads]
  // and if the system refuses to start the threads.
  Context(Isa isa, int threads);
  ~Context();
  Context(Context&&) noexcept;
  Context& operator=(Context&&) noexcept;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  Isa isa() const;
  // Forces a path; throws Error if it is not available here.
  void set_isa(Isa isa);
  // The path that ran the last GEMM or packing call (scalar before any call).
  Isa last_used_isa() const;

  // Threads GEMM calls may use. The result never depends on it: work is split over blocks of
  // M and N, never over K.
  int num_threads() const;
  // Replaces the pool (threads - 1 workers; 1 = run on the caller only). Throws Error for
  // threads outside [1, kMaxThreads] or if the new pool cannot start; the new pool is started
  // before the old one stops, and on failure the Context is left as it was.
  void set_num_threads(int threads);
  // Runs the tasks of each call through `parallel_for` instead of the library's pool, with
  // `threads` as the number of tasks it can run at once (it sizes the split). An empty function
  // restores the library's pool.
  void set_parallel_for(ParallelFor parallel_for, int threads);

  // Throw Error for a moved-from Context.
  detail::ContextState& state();
  const detail::ContextState& state() const;

 private:
  std::unique_ptr<detail::ContextState> state_;
};

// B packed once for one path: owns a 64-byte aligned buffer with the panels, the column sums
// and the zero points of B. Read-only after construction; may be shared between threads.
class PackedB {
 public:
  // Packs for ctx.isa().
  PackedB(Context& ctx, MatrixView<const std::int8_t> b, BLayout layout, ZeroPoints zero_point);
  ~PackedB();
  PackedB(PackedB&&) noexcept;
  PackedB& operator=(PackedB&&) noexcept;
  PackedB(const PackedB&) = delete;
  PackedB& operator=(const PackedB&) = delete;

  Isa isa() const;
  std::int64_t k() const;
  std::int64_t n() const;
  // Bytes owned (panels, sums and zero points).
  std::size_t size_bytes() const;
  // Sum of B[k, j] over k, for each column j (N values).
  const std::int32_t* column_sums() const;

  // Throws Error for a moved-from PackedB (as do the accessors above).
  const detail::PackedBState& state() const;

 private:
  std::unique_ptr<detail::PackedBState> state_;
};

// ---------------------------------------------------------------------------------------------
// GEMM: C[M x N] = output_stage(A[M x K] * B[K x N]) with zero points
// ---------------------------------------------------------------------------------------------

namespace detail {
// f32: float activations quantized on the fly (dynamic.hpp; `ADesc::dynamic` says how).
enum class AType { s8, u8, f32 };
enum class OutKind { int32, fixed_point, float_scale, float32 };
enum class OutType { s32, s8, u8, f32 };

// How float A is quantized (math.md section 4): into `quantized` (s8 or u8), per row, or with
// the whole tensor's parameters `tensor` when set; each row's parameters are written to
// params_out[row] when it is set.
struct DynamicA {
  AType quantized;
  const QuantParams* tensor;
  QuantParams* params_out;
};

struct ADesc {
  const void* data;
  AType type;
  std::int64_t rows, cols, ld;
  ZeroPoints zero_point;
  const DynamicA* dynamic = nullptr;  // for AType::f32
};
struct BDesc {
  const std::int8_t* data;
  std::int64_t rows, cols, ld;
  BLayout layout;
  ZeroPoints zero_point;
  std::int64_t k() const { return layout == BLayout::kn ? rows : cols; }
  std::int64_t n() const { return layout == BLayout::kn ? cols : rows; }
};
struct OutDesc {
  OutKind kind;
  OutType type;
  void* data;
  std::int64_t rows, cols, ld;
  const std::int32_t* bias = nullptr;
  const float* bias_f = nullptr;
  QuantizedMultiplier multiplier{};
  const QuantizedMultiplier* multipliers = nullptr;
  float scale = 1.0f;
  const float* scales = nullptr;
  float a_scale = 1.0f;
  const float* a_scales = nullptr;
  std::int32_t zero_point = 0;
  std::int32_t min = 0, max = 0;
  float min_f = -std::numeric_limits<float>::infinity();  // float32 stage's clamp
  float max_f = std::numeric_limits<float>::infinity();
};

template <typename T>
constexpr AType a_type() {
  static_assert(std::is_same_v<T, std::int8_t> || std::is_same_v<T, std::uint8_t>,
                "A must be int8_t or uint8_t");
  return std::is_same_v<T, std::int8_t> ? AType::s8 : AType::u8;
}
template <typename T>
constexpr OutType out_type() {
  if constexpr (std::is_same_v<T, std::int32_t>) return OutType::s32;
  if constexpr (std::is_same_v<T, std::int8_t>) return OutType::s8;
  if constexpr (std::is_same_v<T, std::uint8_t>) return OutType::u8;
  return OutType::f32;
}

template <typename T>
OutDesc out_desc(const OutputInt32& s, MatrixView<T> c) {
  return OutDesc{OutKind::int32, OutType::s32, c.data, c.rows, c.cols, c.ld, s.bias};
}
template <typename T>
OutDesc out_desc(const OutputFixedPoint<T>& s, MatrixView<T> c) {
  OutDesc d{OutKind::fixed_point, out_type<T>(), c.data, c.rows, c.cols, c.ld, s.bias};
  d.multiplier = s.multiplier;
  d.multipliers = s.per_channel;
  d.zero_point = s.zero_point;
  d.min = s.min;
  d.max = s.max;
  return d;
}
template <typename T>
OutDesc out_desc(const OutputFloatScale<T>& s, MatrixView<T> c) {
  OutDesc d{OutKind::float_scale, out_type<T>(), c.data, c.rows, c.cols, c.ld, s.bias};
  d.scale = s.scale;
  d.scales = s.per_channel;
  d.zero_point = s.zero_point;
  d.min = s.min;
  d.max = s.max;
  return d;
}
template <typename T>
OutDesc out_desc(const OutputFloat& s, MatrixView<T> c) {
  OutDesc d{OutKind::float32, OutType::f32, c.data, c.rows, c.cols, c.ld};
  d.bias_f = s.bias;
  d.min_f = s.min;
  d.max_f = s.max;
  d.a_scale = s.a_scale;
  d.a_scales = s.a_scales;
  d.scale = s.b_scale;
  d.scales = s.b_scales;
  return d;
}

void gemm_packed(Context& ctx, const ADesc& a, const PackedB& b, const OutDesc& out);
void gemm_unpacked(Context& ctx, const ADesc& a, const BDesc& b, const OutDesc& out);

struct PreparedGemmState;
// `stage`: an OutDesc whose C fields are unused.
std::shared_ptr<const PreparedGemmState> prepare_gemm(Context& ctx, AType a_type,
                                                      std::int32_t a_zero_point, const PackedB& b,
                                                      const OutDesc& stage);
void run_prepared(const PreparedGemmState& p, const void* a, std::int64_t a_rows,
                  std::int64_t a_cols, std::int64_t lda, void* c, std::int64_t c_rows,
                  std::int64_t c_cols, std::int64_t ldc);
}  // namespace detail

// With B packed once (the weights of a layer).
template <typename TA, typename Stage>
void gemm(Context& ctx, MatrixView<const TA> a, ZeroPoints a_zero_point, const PackedB& b,
          const Stage& stage, MatrixView<typename Stage::value_type> c) {
  detail::gemm_packed(
      ctx, detail::ADesc{a.data, detail::a_type<TA>(), a.rows, a.cols, a.ld, a_zero_point}, b,
      detail::out_desc(stage, c));
}

// One call with B unpacked: B is packed into the context's scratch on the way.
template <typename TA, typename Stage>
void gemm(Context& ctx, MatrixView<const TA> a, ZeroPoints a_zero_point,
          MatrixView<const std::int8_t> b, BLayout b_layout, ZeroPoints b_zero_point,
          const Stage& stage, MatrixView<typename Stage::value_type> c) {
  detail::gemm_unpacked(
      ctx, detail::ADesc{a.data, detail::a_type<TA>(), a.rows, a.cols, a.ld, a_zero_point},
      detail::BDesc{b.data, b.rows, b.cols, b.ld, b_layout, b_zero_point},
      detail::out_desc(stage, c));
}

// A gemm() with packed B whose every argument but A and C is fixed: the Context, B, A's element
// type and its zero point (per tensor) and the output stage, prepared once and run on any number
// of rows (a quantized linear layer; oneDNN's primitive, XNNPACK's operator). Creation checks B,
// the zero point and the stage as gemm() does (throwing Error naming the argument), copies the
// stage's per-column arrays (bias, multipliers, scales: the caller's may change or go
// afterwards) and computes the per-column terms (bias - za * column sums, the multipliers'
// split); run() checks A and C only. Every run gives the bits of gemm() with the same arguments.
// (The float32 stage's a_scale x largest b_scale is checked at creation, for any M.) Not for
// per-row zero points of A or per-row scales of the float32 stage (M values each: use gemm()).
// The Context and the PackedB are referred to, not copied: both must outlive the PreparedGemm,
// stay where they are and not be assigned to (a run finding another packing in its PackedB
// throws Error naming `b`); run() uses the Context as gemm() does (one call at a time) and must
// find it on B's path. Copies share the prepared state.
template <typename TA, typename Stage>
class PreparedGemm {
 public:
  using c_type = typename Stage::value_type;

  PreparedGemm(Context& ctx, std::int32_t a_zero_point, const PackedB& b, const Stage& stage)
      : state_(detail::prepare_gemm(ctx, detail::a_type<TA>(), a_zero_point, b,
                                    detail::out_desc(stage, MatrixView<c_type>()))) {}

  // C[M x N] = stage(A[M x K] * B); M = a.rows = c.rows, any M >= 0.
  void run(MatrixView<const TA> a, MatrixView<c_type> c) const {
    detail::run_prepared(*state_, a.data, a.rows, a.cols, a.ld, c.data, c.rows, c.cols, c.ld);
  }

 private:
  std::shared_ptr<const detail::PreparedGemmState> state_;
};

// Mutable operands: A given as MatrixView<int8_t> / MatrixView<uint8_t> (a user's own buffer)
// reads as MatrixView<const ...>; so does B, in the one-call form, in every combination. (A
// template cannot deduce TA of MatrixView<const TA> from a MatrixView<TA>: these overloads do.)
template <typename TA, typename Stage, typename = std::enable_if_t<!std::is_const_v<TA>>>
void gemm(Context& ctx, MatrixView<TA> a, ZeroPoints a_zero_point, const PackedB& b,
          const Stage& stage, MatrixView<typename Stage::value_type> c) {
  gemm(ctx, MatrixView<const TA>(a), a_zero_point, b, stage, c);
}
template <typename TA, typename Stage, typename = std::enable_if_t<!std::is_const_v<TA>>>
void gemm(Context& ctx, MatrixView<TA> a, ZeroPoints a_zero_point, MatrixView<const std::int8_t> b,
          BLayout b_layout, ZeroPoints b_zero_point, const Stage& stage,
          MatrixView<typename Stage::value_type> c) {
  gemm(ctx, MatrixView<const TA>(a), a_zero_point, b, b_layout, b_zero_point, stage, c);
}

}  // namespace i8gemm
