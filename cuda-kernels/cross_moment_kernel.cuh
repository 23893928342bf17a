// The cross_moment kernel itself (see cross_moment.cu for what it computes and why it is
// built this way). In a header of its own so that bench/gpu/emulate_cross_moment.cpp can
// run this very code on the host and compare it bit for bit with the precision contract.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

#ifndef CAPXAI_SIMT_HOST
// The block's dynamic shared memory, as an array of T.
template <typename T>
__device__ inline T *capxai_dynamic_shared() {
  extern __shared__ __align__(16) unsigned char capxai_dynamic_smem[];
  return reinterpret_cast<T *>(capxai_dynamic_smem);
}
#endif

namespace capxai_cross {

constexpr int TILE_I = 128;   // rows of a (channels i) per block
constexpr int TILE_J = 64;    // rows of b (channels j) per block
constexpr int TILE_K = 16;    // positions per shared-memory stage
constexpr int THREAD_I = 8;   // outputs per thread along i
constexpr int THREAD_J = 4;   // outputs per thread along j
constexpr int THREADS = (TILE_I / THREAD_I) * (TILE_J / THREAD_J);  // 256
constexpr int STAGES_PER_FLUSH = 256 / TILE_K;  // float32 partials cover 256 positions
constexpr int PAD = 4;  // keeps rows 16-byte aligned and halves store bank conflicts
// Dynamic shared memory: one float64 accumulator per output of every thread, laid out
// [output][thread] so that a warp's accesses are consecutive (no bank conflicts).
constexpr size_t SUMS_BYTES = sizeof(double) * THREAD_I * THREAD_J * THREADS;  // 64 KiB

constexpr int64_t FLUSH_K = TILE_K * STAGES_PER_FLUSH;  // 256 positions per float32 partial

static_assert(THREADS == 256, "the loaders below assume 256 threads");
static_assert(TILE_I * TILE_K == 8 * THREADS && TILE_J * TILE_K == 4 * THREADS, "loader shape");

// Element (row, k) of one operand, shifted; 0 outside the matrix. `base` already points at
// image k / hw, position k % hw of channel 0, so a row is `row * hw` further on.
__device__ inline float load_shifted(const float *__restrict__ base, const float *__restrict__ shift, int64_t row,
                                     int64_t rows, int64_t hw, bool k_inside) {
  if (!k_inside || row >= rows) return 0.f;
  return base[row * hw] - (shift ? __ldg(shift + row) : 0.f);
}

// How the K range is split across blocks (split-K), so that few output tiles still fill
// the GPU: segments of whole 256-position blocks, so that the float32 partials are the
// same as without the split.
struct Segments {
  int64_t count;     // segments (gridDim.z)
  int64_t positions; // positions per segment, a multiple of FLUSH_K (the last may be shorter)
};

// About two blocks per SM in all, at least 4 flush blocks per segment, and at most
// max_scratch_bytes of float64 partial results (one X-sized slab per segment).
inline Segments plan_segments(int64_t ca, int64_t cb, int64_t total_k, int64_t sms, int64_t max_scratch_bytes) {
  const int64_t tiles = ((ca + TILE_I - 1) / TILE_I) * ((cb + TILE_J - 1) / TILE_J);
  const int64_t flushes = (total_k + FLUSH_K - 1) / FLUSH_K;
  int64_t count = (2 * sms + tiles - 1) / tiles;
  count = std::min(count, std::max<int64_t>(1, flushes / 4));
  count = std::min(count, std::max<int64_t>(1, max_scratch_bytes / (ca * cb * 8)));
  count = std::min<int64_t>(std::max<int64_t>(count, 1), 65535);
  const int64_t positions = (flushes + count - 1) / count * FLUSH_K;
  return Segments{(total_k + positions - 1) / positions, positions};
}

// Block (x, y, z) computes output tile (y, x) over segment z of the K range. With one
// segment it adds its sums into x; with more, it writes them to slab z of x (the
// partial results, [segments, ca, cb]) and add_segments_kernel adds them up in order.
__global__ void __launch_bounds__(THREADS, 2)
cross_moment_kernel(const float *__restrict__ a, const float *__restrict__ shift_a, int64_t ca,
                    const float *__restrict__ b, const float *__restrict__ shift_b, int64_t cb, int64_t n,
                    int64_t hw, int64_t segment_positions, double *__restrict__ x) {
  __shared__ __align__(16) float tile_a[2][TILE_K][TILE_I + PAD];  // [stage][k][i]
  __shared__ __align__(16) float tile_b[2][TILE_K][TILE_J + PAD];  // [stage][k][j]
  double *const sums = capxai_dynamic_shared<double>();            // [output][thread]

  const int tid = threadIdx.x;
  const int64_t i0 = static_cast<int64_t>(blockIdx.y) * TILE_I, j0 = static_cast<int64_t>(blockIdx.x) * TILE_J;
  const int64_t k_begin = static_cast<int64_t>(blockIdx.z) * segment_positions;
  const int64_t k_end = n * hw < k_begin + segment_positions ? n * hw : k_begin + segment_positions;

  // Loader role: column kk of the stage, rows load_row + 16 * r.
  const int kk = tid % TILE_K, load_row = tid / TILE_K;
  // Compute role: an 8 x 4 block of outputs.
  const int ti = (tid / (TILE_J / THREAD_J)) * THREAD_I, tj = (tid % (TILE_J / THREAD_J)) * THREAD_J;

  float next_a[8], next_b[4];
  auto fetch = [&](int64_t k0) {
    const int64_t k = k0 + kk;
    const bool inside = k < k_end;
    const int64_t image = inside ? k / hw : 0, position = inside ? k - image * hw : 0;
    const float *base_a = a + image * ca * hw + position;
    const float *base_b = b + image * cb * hw + position;
#pragma unroll
    for (int r = 0; r < 8; r++) next_a[r] = load_shifted(base_a, shift_a, i0 + load_row + 16 * r, ca, hw, inside);
#pragma unroll
    for (int r = 0; r < 4; r++) next_b[r] = load_shifted(base_b, shift_b, j0 + load_row + 16 * r, cb, hw, inside);
  };
  auto stash = [&](int stage) {
#pragma unroll
    for (int r = 0; r < 8; r++) tile_a[stage][kk][load_row + 16 * r] = next_a[r];
#pragma unroll
    for (int r = 0; r < 4; r++) tile_b[stage][kk][load_row + 16 * r] = next_b[r];
  };

  float partial[THREAD_I][THREAD_J];
  auto sum = [&](int u, int v) -> double & { return sums[(u * THREAD_J + v) * THREADS + tid]; };
#pragma unroll
  for (int u = 0; u < THREAD_I; u++)
#pragma unroll
    for (int v = 0; v < THREAD_J; v++) partial[u][v] = 0.f, sum(u, v) = 0.0;  // this thread's slots only
  auto flush = [&]() {
#pragma unroll
    for (int u = 0; u < THREAD_I; u++)
#pragma unroll
      for (int v = 0; v < THREAD_J; v++) sum(u, v) += static_cast<double>(partial[u][v]), partial[u][v] = 0.f;
  };

  fetch(k_begin);
  stash(0);
  __syncthreads();
  int stage = 0, stages_since_flush = 0;
  for (int64_t k0 = k_begin; k0 < k_end; k0 += TILE_K, stage ^= 1) {
    const bool has_next = k0 + TILE_K < k_end;
    if (has_next) fetch(k0 + TILE_K);  // global loads in flight during the FMAs below
#pragma unroll
    for (int k = 0; k < TILE_K; k++) {
      const float4 a_lo = *reinterpret_cast<const float4 *>(&tile_a[stage][k][ti]);
      const float4 a_hi = *reinterpret_cast<const float4 *>(&tile_a[stage][k][ti + 4]);
      const float4 bv = *reinterpret_cast<const float4 *>(&tile_b[stage][k][tj]);
      const float av[8] = {a_lo.x, a_lo.y, a_lo.z, a_lo.w, a_hi.x, a_hi.y, a_hi.z, a_hi.w};
      const float bw[4] = {bv.x, bv.y, bv.z, bv.w};
#pragma unroll
      for (int u = 0; u < THREAD_I; u++)
#pragma unroll
        for (int v = 0; v < THREAD_J; v++) partial[u][v] = fmaf(av[u], bw[v], partial[u][v]);
    }
    if (has_next) stash(stage ^ 1);  // the other stage was last read before the previous sync
    __syncthreads();
    if (++stages_since_flush == STAGES_PER_FLUSH) {
      flush();
      stages_since_flush = 0;
    }
  }
  flush();

  const bool split = gridDim.z > 1;
  double *const out = split ? x + static_cast<int64_t>(blockIdx.z) * ca * cb : x;
#pragma unroll
  for (int u = 0; u < THREAD_I; u++) {
    const int64_t i = i0 + ti + u;
    if (i >= ca) break;
#pragma unroll
    for (int v = 0; v < THREAD_J; v++) {
      const int64_t j = j0 + tj + v;
      if (j >= cb) continue;
      if (split) out[i * cb + j] = sum(u, v);
      else out[i * cb + j] += sum(u, v);
    }
  }
}

// x[e] += the sum over segments, in segment order, of partial[segment, e].
__global__ void add_segments_kernel(const double *__restrict__ partial, int64_t segments, int64_t elements,
                                    double *__restrict__ x) {
  for (int64_t e = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; e < elements;
       e += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    double total = 0;
    for (int64_t z = 0; z < segments; z++) total += partial[z * elements + e];
    x[e] += total;
  }
}

}  // namespace capxai_cross
