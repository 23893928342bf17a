// weighted_sum (S_a of docs/method.md#matching-in-one-pass): acc[k] += sum over images and positions of
// (x - shift[k]) * w[q]. Each block sums one slice of a channel, a second kernel adds a
// channel's slices in order into acc (deterministic). All arithmetic in float64: the
// kernel is bound by memory bandwidth, not by float64 throughput.
#include "channel_sweep.cuh"
#include "common.cuh"

namespace {

__global__ void slice_sums_kernel(const float *__restrict__ x, int64_t n, int64_t c, int64_t hw, int64_t chunks,
                                  const float *__restrict__ shift, const float *__restrict__ w,
                                  double *__restrict__ partial) {
  __shared__ double scratch[32];
  for (int64_t s = blockIdx.x; s < c * chunks; s += gridDim.x) {
    const int64_t k = s / chunks, g = s - k * chunks;
    const double offset = shift ? static_cast<double>(shift[k]) : 0.0;
    double sum = 0;
    capxai_sweep_slice(x, n, c, hw, k, g, chunks, [&](float v, int64_t position) {
      const double d = static_cast<double>(v) - offset;
      sum += w ? d * static_cast<double>(w[position]) : d;
    });
    sum = capxai_block_sum(sum, scratch);
    if (threadIdx.x == 0) partial[s] = sum;
  }
}

__global__ void add_slices_kernel(const double *__restrict__ partial, int64_t c, int64_t chunks, double *acc) {
  for (int64_t k = blockIdx.x * static_cast<int64_t>(blockDim.x) + threadIdx.x; k < c;
       k += static_cast<int64_t>(gridDim.x) * blockDim.x) {
    double sum = 0;
    for (int64_t g = 0; g < chunks; g++) sum += partial[k * chunks + g];
    acc[k] += sum;
  }
}

}  // namespace

extern "C" int32_t capxai_weighted_sum(const float *x, int64_t n, int64_t c, int64_t hw,
                                       const float *shift, const float *w, double *acc, void *stream) {
  CAPXAI_REQUIRE_POSITIVE(n);
  CAPXAI_REQUIRE_POSITIVE(c);
  CAPXAI_REQUIRE_POSITIVE(hw);
  CAPXAI_REQUIRE_SIZE("x", n, c, hw, 1);
  CAPXAI_REQUIRE_DEVICE_PTR(x);
  CAPXAI_REQUIRE_DEVICE_PTR(acc);
  if (shift) CAPXAI_REQUIRE_DEVICE_PTR(shift);
  if (w) CAPXAI_REQUIRE_DEVICE_PTR(w);
  const cudaStream_t s = as_stream(stream);
  int64_t chunks = 1;
  int32_t status = capxai_channel_chunks(c, n * hw, &chunks);
  if (status != CAPXAI_OK) return status;

  DeviceScratch<double> partial;
  CAPXAI_CUDA_TRY(partial.allocate(c * chunks, s), "allocating the partial sums");
  const unsigned slice_blocks = static_cast<unsigned>(c * chunks < 65536 ? c * chunks : 65536);
  CAPXAI_LAUNCH(slice_sums_kernel, slice_blocks, CAPXAI_THREADS, 0, s)(x, n, c, hw, chunks, shift, w, partial.ptr);
  status = capxai_check_launch("capxai_weighted_sum: slice_sums_kernel");
  if (status != CAPXAI_OK) return status;
  CAPXAI_LAUNCH(add_slices_kernel, capxai_blocks(c), CAPXAI_THREADS, 0, s)(partial.ptr, c, chunks, acc);
  return capxai_check_launch("capxai_weighted_sum");
}
