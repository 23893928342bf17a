// cross_moment (X of docs/method.md#matching-in-one-pass): X[i, j] += sum over images t and positions p of
//   (a[t, i, p] - shift_a[i]) * (b[t, j, p] - shift_b[j]).
// A GEMM X += A * B^T with K = n * hw running across images (k -> image k / hw, position
// k % hw). Plain float32 FMA on shared-memory tiles, no tensor cores: TF32 keeps only 10
// mantissa bits and would miss the 1e-4 target on raw data. Precision as the header says:
// float32 partial sums over K-blocks of 256 in registers, each added into float64
// accumulators in shared memory (touched once per 256 positions; keeping them in registers
// would cost 64 more and halve the blocks per SM); X is read and written once per output
// tile. Each block owns one X tile and runs the whole K range, so there are no atomics and
// the result is deterministic; when there are too few tiles to fill the GPU, the K range
// is split into segments of whole 256-position blocks whose float64 results are added up
// in order by a second kernel (still deterministic, same float32 partials).
#include "common.cuh"
#include "cross_moment_kernel.cuh"

using namespace capxai_cross;

extern "C" int32_t capxai_cross_moment(const float *a, const float *shift_a, int64_t ca,
                                       const float *b, const float *shift_b, int64_t cb,
                                       int64_t n, int64_t hw,
                                       double *x, void *stream) {
  CAPXAI_REQUIRE_POSITIVE(ca);
  CAPXAI_REQUIRE_POSITIVE(cb);
  CAPXAI_REQUIRE_POSITIVE(n);
  CAPXAI_REQUIRE_POSITIVE(hw);
  CAPXAI_REQUIRE_SIZE("a", n, ca, hw, 1);
  CAPXAI_REQUIRE_SIZE("b", n, cb, hw, 1);
  CAPXAI_REQUIRE_SIZE("x", ca, cb, 1, 1);
  CAPXAI_REQUIRE((ca + TILE_I - 1) / TILE_I <= 65535, "ca = %lld exceeds the %d channels one launch covers",
                 (long long)ca, 65535 * TILE_I);
  CAPXAI_REQUIRE((cb + TILE_J - 1) / TILE_J <= INT32_MAX, "cb = %lld is too large", (long long)cb);
  CAPXAI_REQUIRE_DEVICE_PTR(a);
  CAPXAI_REQUIRE_DEVICE_PTR(b);
  CAPXAI_REQUIRE_DEVICE_PTR(x);
  if (shift_a) CAPXAI_REQUIRE_DEVICE_PTR(shift_a);
  if (shift_b) CAPXAI_REQUIRE_DEVICE_PTR(shift_b);
  const cudaStream_t s = as_stream(stream);
  int64_t sms = 0;
  int32_t status = capxai_sm_count(&sms);
  if (status != CAPXAI_OK) return status;
  const Segments segments = plan_segments(ca, cb, n * hw, sms, int64_t{256} << 20);
  // More than the default 48 KiB of shared memory must be asked for (per device; cheap).
  CAPXAI_CUDA_TRY(cudaFuncSetAttribute(cross_moment_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                       static_cast<int>(SUMS_BYTES)),
                  "reserving shared memory");
  const dim3 grid(static_cast<unsigned>((cb + TILE_J - 1) / TILE_J), static_cast<unsigned>((ca + TILE_I - 1) / TILE_I),
                  static_cast<unsigned>(segments.count));
  if (segments.count == 1) {
    CAPXAI_LAUNCH(cross_moment_kernel, grid, THREADS, SUMS_BYTES, s)
        (a, shift_a, ca, b, shift_b, cb, n, hw, segments.positions, x);
    return capxai_check_launch("capxai_cross_moment");
  }
  // Split-K: partial results per segment, then added up in order (deterministic).
  DeviceScratch<double> partial;
  CAPXAI_CUDA_TRY(partial.allocate(segments.count * ca * cb, s), "allocating the split-K partial results");
  CAPXAI_LAUNCH(cross_moment_kernel, grid, THREADS, SUMS_BYTES, s)
      (a, shift_a, ca, b, shift_b, cb, n, hw, segments.positions, partial.ptr);
  status = capxai_check_launch("capxai_cross_moment: cross_moment_kernel");
  if (status != CAPXAI_OK) return status;
  CAPXAI_LAUNCH(add_segments_kernel, capxai_blocks(ca * cb), CAPXAI_THREADS, 0, s)
      (partial.ptr, segments.count, ca * cb, x);
  return capxai_check_launch("capxai_cross_moment: add_segments_kernel");
}
