// moments_update (docs/method.md#channel-statistics): per-channel count, mean and M2 of a batch, merged into
// float64 accumulators (Chan et al.). Shifted sums in float64: each block sums (x - K)
// and (x - K)^2 over one slice of a channel, with K the channel's first value of the
// batch (no cancellation when the mean is large); a second kernel adds the slices in
// order and merges. A batch with NaN or Inf is rejected as a whole; since the caller
// needs that verdict as a status, the host waits for one flag (a device -> host sync
// per call).
#include "channel_sweep.cuh"
#include "common.cuh"
#include "moments.cuh"

#include <cmath>
#include <vector>

namespace {

// partial[2 * (k * chunks + g)] = {sum (x - K), sum (x - K)^2} over slice g of channel k.
// A slice with a non-finite value records its channel in *first_bad (the smallest wins).
__global__ void shifted_sums_kernel(const float *__restrict__ x, int64_t n, int64_t c, int64_t hw, int64_t chunks,
                                    double *__restrict__ partial, unsigned long long *first_bad) {
  __shared__ double scratch[32];
  for (int64_t w = blockIdx.x; w < c * chunks; w += gridDim.x) {
    const int64_t k = w / chunks, g = w - k * chunks;
    const double shift = static_cast<double>(x[k * hw]);
    double sum = 0, sum_sq = 0;
    bool finite = true;
    capxai_sweep_slice(x, n, c, hw, k, g, chunks, [&](float v, int64_t) {
      finite &= isfinite(v);
      const double d = static_cast<double>(v) - shift;
      sum += d;
      sum_sq += d * d;
    });
    const bool slice_finite = __syncthreads_and(finite);
    sum = capxai_block_sum(sum, scratch);
    sum_sq = capxai_block_sum(sum_sq, scratch);
    if (threadIdx.x == 0) {
      if (!slice_finite) atomicMin(first_bad, static_cast<unsigned long long>(k));
      partial[2 * w] = sum;
      partial[2 * w + 1] = sum_sq;
    }
  }
}

// Adds each channel's slices in order and merges the batch into the accumulators,
// unless the batch was rejected.
__global__ void merge_batch_kernel(const float *__restrict__ x, int64_t n, int64_t c, int64_t hw, int64_t chunks,
                                   const double *__restrict__ partial, const unsigned long long *first_bad,
                                   double *count, double *mean, double *m2) {
  if (*first_bad != CAPXAI_NO_FAULT) return;
  for (int64_t k = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; k < c;
       k += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    double sum = 0, sum_sq = 0;
    for (int64_t g = 0; g < chunks; g++) {
      sum += partial[2 * (k * chunks + g)];
      sum_sq += partial[2 * (k * chunks + g) + 1];
    }
    capxai_merge_shifted_sums(count + k, mean + k, m2 + k, static_cast<double>(n * hw),
                              static_cast<double>(x[k * hw]), sum, sum_sq);
  }
}

// Names the first non-finite value of channel k (image, position), in the CPU library's
// words; copies that channel's n planes back to the host (error path only).
int32_t report_nonfinite(const float *x, int64_t n, int64_t c, int64_t hw, int64_t k) {
  std::vector<float> values(static_cast<size_t>(n * hw));
  CAPXAI_CUDA_TRY(cudaMemcpy2D(values.data(), hw * sizeof(float), x + k * hw, c * hw * sizeof(float),
                               hw * sizeof(float), n, cudaMemcpyDeviceToHost),
                  "reading the non-finite channel");
  int64_t e = 0;
  while (e < n * hw - 1 && std::isfinite(values[e])) e++;
  return capxai_fail(CAPXAI_ERR_NONFINITE,
                     "capxai_moments_update: x holds %s in channel %lld (image %lld, position %lld); "
                     "the accumulators are left unchanged",
                     std::isnan(values[e]) ? "NaN" : "Inf", static_cast<long long>(k),
                     static_cast<long long>(e / hw), static_cast<long long>(e % hw));
}

}  // namespace

extern "C" int32_t capxai_moments_update(const float *x, int64_t n, int64_t c, int64_t hw,
                                         double *count, double *mean, double *m2, void *stream) {
  CAPXAI_REQUIRE_POSITIVE(n);
  CAPXAI_REQUIRE_POSITIVE(c);
  CAPXAI_REQUIRE_POSITIVE(hw);
  CAPXAI_REQUIRE_SIZE("x", n, c, hw, 1);
  CAPXAI_REQUIRE_DEVICE_PTR(x);
  CAPXAI_REQUIRE_DEVICE_PTR(count);
  CAPXAI_REQUIRE_DEVICE_PTR(mean);
  CAPXAI_REQUIRE_DEVICE_PTR(m2);
  const cudaStream_t s = as_stream(stream);
  int64_t chunks = 1;
  int32_t status = capxai_channel_chunks(c, n * hw, &chunks);
  if (status != CAPXAI_OK) return status;

  DeviceScratch<double> partial;
  DeviceScratch<unsigned long long> first_bad;
  CAPXAI_CUDA_TRY(partial.allocate(2 * c * chunks, s), "allocating the partial sums");
  CAPXAI_CUDA_TRY(first_bad.allocate(1, s), "allocating the non-finite flag");
  CAPXAI_CUDA_TRY(cudaMemsetAsync(first_bad.ptr, 0xff, sizeof(unsigned long long), s), "clearing the flag");
  const unsigned slice_blocks = static_cast<unsigned>(c * chunks < 65536 ? c * chunks : 65536);
  CAPXAI_LAUNCH(shifted_sums_kernel, slice_blocks, CAPXAI_THREADS, 0, s)
      (x, n, c, hw, chunks, partial.ptr, first_bad.ptr);
  status = capxai_check_launch("capxai_moments_update: shifted_sums_kernel");
  if (status != CAPXAI_OK) return status;
  CAPXAI_LAUNCH(merge_batch_kernel, capxai_blocks(c), CAPXAI_THREADS, 0, s)
      (x, n, c, hw, chunks, partial.ptr, first_bad.ptr, count, mean, m2);
  status = capxai_check_launch("capxai_moments_update: merge_batch_kernel");
  if (status != CAPXAI_OK) return status;

  // The one sync: the verdict on the batch is the return value.
  unsigned long long bad = 0;
  CAPXAI_CUDA_TRY(cudaMemcpyAsync(&bad, first_bad.ptr, sizeof bad, cudaMemcpyDeviceToHost, s), "reading the flag");
  CAPXAI_CUDA_TRY(cudaStreamSynchronize(s), "waiting for the moments");
  if (bad != CAPXAI_NO_FAULT) return report_nonfinite(x, n, c, hw, static_cast<int64_t>(bad));
  return capxai_ok();
}
