// moments_merge: merges accumulator set b into set a, one thread per channel. Counts are
// checked first (a negative or NaN count means corrupt accumulators) and a failure changes
// nothing; reporting it needs a device -> host sync of one flag per call.
#include "common.cuh"
#include "moments.cuh"

namespace {

// Records in *first_bad the smallest index k * 2 + set (set 0 = a, 1 = b) of a bad count.
__global__ void check_counts_kernel(const double *count_a, const double *count_b, int64_t c,
                                    unsigned long long *first_bad) {
  for (int64_t k = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; k < c;
       k += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    if (!(count_a[k] >= 0)) atomicMin(first_bad, static_cast<unsigned long long>(2 * k));
    else if (!(count_b[k] >= 0)) atomicMin(first_bad, static_cast<unsigned long long>(2 * k + 1));
  }
}

__global__ void moments_merge_kernel(double *count_a, double *mean_a, double *m2_a,
                                     const double *count_b, const double *mean_b, const double *m2_b,
                                     int64_t c, const unsigned long long *first_bad) {
  if (*first_bad != CAPXAI_NO_FAULT) return;
  for (int64_t k = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; k < c;
       k += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    // Read b before writing a: the two sets may be the same arrays.
    const double cb = count_b[k], mb = mean_b[k], m2b = m2_b[k];
    capxai_chan_merge(count_a + k, mean_a + k, m2_a + k, cb, mb, m2b);
  }
}

}  // namespace

extern "C" int32_t capxai_moments_merge(double *count_a, double *mean_a, double *m2_a,
                                        const double *count_b, const double *mean_b, const double *m2_b,
                                        int64_t c, void *stream) {
  CAPXAI_REQUIRE_POSITIVE(c);
  CAPXAI_REQUIRE_DEVICE_PTR(count_a);
  CAPXAI_REQUIRE_DEVICE_PTR(mean_a);
  CAPXAI_REQUIRE_DEVICE_PTR(m2_a);
  CAPXAI_REQUIRE_DEVICE_PTR(count_b);
  CAPXAI_REQUIRE_DEVICE_PTR(mean_b);
  CAPXAI_REQUIRE_DEVICE_PTR(m2_b);
  const cudaStream_t s = as_stream(stream);

  DeviceScratch<unsigned long long> first_bad;
  CAPXAI_CUDA_TRY(first_bad.allocate(1, s), "allocating the count check flag");
  CAPXAI_CUDA_TRY(cudaMemsetAsync(first_bad.ptr, 0xff, sizeof(unsigned long long), s), "clearing the flag");
  CAPXAI_LAUNCH(check_counts_kernel, capxai_blocks(c), CAPXAI_THREADS, 0, s)(count_a, count_b, c, first_bad.ptr);
  int32_t status = capxai_check_launch("capxai_moments_merge: check_counts_kernel");
  if (status != CAPXAI_OK) return status;
  CAPXAI_LAUNCH(moments_merge_kernel, capxai_blocks(c), CAPXAI_THREADS, 0, s)
      (count_a, mean_a, m2_a, count_b, mean_b, m2_b, c, first_bad.ptr);
  status = capxai_check_launch("capxai_moments_merge: moments_merge_kernel");
  if (status != CAPXAI_OK) return status;

  unsigned long long bad = 0;
  CAPXAI_CUDA_TRY(cudaMemcpyAsync(&bad, first_bad.ptr, sizeof bad, cudaMemcpyDeviceToHost, s), "reading the flag");
  CAPXAI_CUDA_TRY(cudaStreamSynchronize(s), "waiting for the merge");
  if (bad != CAPXAI_NO_FAULT) {
    const unsigned long long k = bad / 2;
    const double *counts = bad % 2 ? count_b : count_a;
    double value = 0;
    CAPXAI_CUDA_TRY(cudaMemcpy(&value, counts + k, sizeof value, cudaMemcpyDeviceToHost), "reading the bad count");
    return capxai_fail(CAPXAI_ERR_INVALID, "capxai_moments_merge: count_%c[%llu] must be >= 0, got %g",
                       bad % 2 ? 'b' : 'a', k, value);
  }
  return capxai_ok();
}
