// weighted_sum (S_a of SPEC 1.3): acc[k] += sum over images and positions of
// (x - shift[k]) * w[q]. One block per channel, all arithmetic in float64 (the kernel is
// bound by memory bandwidth, not by float64 throughput).
#include "common.cuh"

namespace {

__global__ void weighted_sum_kernel(const float *__restrict__ x, int64_t n, int64_t c, int64_t hw,
                                    const float *__restrict__ shift, const float *__restrict__ w,
                                    double *__restrict__ acc) {
  __shared__ double partial[32];
  const int64_t per_channel = n * hw;
  const int64_t step_image = blockDim.x / hw, step_position = blockDim.x % hw;
  for (int64_t k = blockIdx.x; k < c; k += gridDim.x) {
    const float *channel = x + k * hw;
    const double s = shift ? static_cast<double>(shift[k]) : 0.0;
    double sum = 0;
    int64_t image = threadIdx.x / hw, position = threadIdx.x % hw;
    for (int64_t e = threadIdx.x; e < per_channel; e += blockDim.x) {
      const double v = static_cast<double>(channel[image * c * hw + position]) - s;
      sum += w ? v * static_cast<double>(w[position]) : v;
      image += step_image;
      position += step_position;
      if (position >= hw) {
        position -= hw;
        image++;
      }
    }
    sum = capxai_block_sum(sum, partial);
    if (threadIdx.x == 0) acc[k] += sum;
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
  const unsigned channel_blocks = static_cast<unsigned>(c < 65536 ? c : 65536);
  weighted_sum_kernel<<<channel_blocks, CAPXAI_THREADS, 0, as_stream(stream)>>>(x, n, c, hw, shift, w, acc);
  return capxai_check_launch("capxai_weighted_sum");
}
