// moments_update (SPEC 1.2): per-channel count, mean and M2 of a batch, merged into
// float64 accumulators. One block per channel sums (x - K) and (x - K)^2 in float64,
// with K the channel's first value of the batch (shifted sums: no cancellation when the
// mean is large). A batch with NaN or Inf is rejected as a whole; since the caller needs
// that verdict as a status, the host waits for one flag (a device -> host sync per call).
#include "common.cuh"
#include "moments.cuh"

namespace {

// Batch statistics of channel k -> batch[3k .. 3k+2] = count, mean, M2. A channel with a
// non-finite value records its index in *first_bad (the smallest wins).
__global__ void batch_moments_kernel(const float *__restrict__ x, int64_t n, int64_t c, int64_t hw,
                                     double *__restrict__ batch, unsigned long long *first_bad) {
  __shared__ double partial[32];
  const int64_t per_channel = n * hw;
  // Walking the channel's n*hw values as (image, position) without a division per value.
  const int64_t step_image = blockDim.x / hw, step_position = blockDim.x % hw;
  for (int64_t k = blockIdx.x; k < c; k += gridDim.x) {
    const float *channel = x + k * hw;
    const double shift = static_cast<double>(channel[0]);
    double sum = 0, sum_sq = 0;
    bool finite = true;
    int64_t image = threadIdx.x / hw, position = threadIdx.x % hw;
    for (int64_t e = threadIdx.x; e < per_channel; e += blockDim.x) {
      const float v = channel[image * c * hw + position];
      finite &= isfinite(v);
      const double d = static_cast<double>(v) - shift;
      sum += d;
      sum_sq += d * d;
      image += step_image;
      position += step_position;
      if (position >= hw) {
        position -= hw;
        image++;
      }
    }
    const bool channel_finite = __syncthreads_and(finite);
    sum = capxai_block_sum(sum, partial);
    sum_sq = capxai_block_sum(sum_sq, partial);
    if (threadIdx.x == 0) {
      if (!channel_finite) atomicMin(first_bad, static_cast<unsigned long long>(k));
      const double count = static_cast<double>(per_channel);
      const double m2 = sum_sq - sum * (sum / count);
      batch[3 * k] = count;
      batch[3 * k + 1] = shift + sum / count;
      batch[3 * k + 2] = m2 > 0 ? m2 : 0;  // rounding can push a zero variance below 0
    }
  }
}

// Merges the batch statistics into the accumulators, unless the batch was rejected.
__global__ void merge_batch_kernel(const double *__restrict__ batch, int64_t c,
                                   const unsigned long long *first_bad,
                                   double *count, double *mean, double *m2) {
  if (*first_bad != CAPXAI_NO_FAULT) return;
  for (int64_t k = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; k < c;
       k += static_cast<int64_t>(gridDim.x) * blockDim.x)
    capxai_chan_merge(count + k, mean + k, m2 + k, batch[3 * k], batch[3 * k + 1], batch[3 * k + 2]);
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

  DeviceScratch<double> batch;
  DeviceScratch<unsigned long long> first_bad;
  CAPXAI_CUDA_TRY(batch.allocate(3 * c, s), "allocating the batch statistics");
  CAPXAI_CUDA_TRY(first_bad.allocate(1, s), "allocating the non-finite flag");
  CAPXAI_CUDA_TRY(cudaMemsetAsync(first_bad.ptr, 0xff, sizeof(unsigned long long), s), "clearing the flag");

  const unsigned channel_blocks = static_cast<unsigned>(c < 65536 ? c : 65536);
  batch_moments_kernel<<<channel_blocks, CAPXAI_THREADS, 0, s>>>(x, n, c, hw, batch.ptr, first_bad.ptr);
  int32_t status = capxai_check_launch("capxai_moments_update: batch_moments_kernel");
  if (status != CAPXAI_OK) return status;
  merge_batch_kernel<<<capxai_blocks(c), CAPXAI_THREADS, 0, s>>>(batch.ptr, c, first_bad.ptr, count, mean, m2);
  status = capxai_check_launch("capxai_moments_update: merge_batch_kernel");
  if (status != CAPXAI_OK) return status;

  // The one sync: the verdict on the batch is the return value.
  unsigned long long bad = 0;
  CAPXAI_CUDA_TRY(cudaMemcpyAsync(&bad, first_bad.ptr, sizeof bad, cudaMemcpyDeviceToHost, s), "reading the flag");
  CAPXAI_CUDA_TRY(cudaStreamSynchronize(s), "waiting for the moments");
  if (bad != CAPXAI_NO_FAULT)
    return capxai_fail(CAPXAI_ERR_NONFINITE,
                       "capxai_moments_update: channel %llu of x holds NaN or Inf; the batch was not merged", bad);
  return capxai_ok();
}
