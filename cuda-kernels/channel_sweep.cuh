// Per-channel reductions over x [n, c, hw] (moments_update, weighted_sum). A channel's
// n * hw values are split into `chunks` contiguous slices so that few channels (64 at
// 112x112) still fill the GPU; each block reduces one (channel, slice) into a partial, and
// a second kernel adds a channel's partials in slice order: deterministic, no atomics.
#pragma once

#include "common.cuh"

// Slices per channel on a GPU with `sms` multiprocessors: about four blocks per SM in
// all, each slice at least 2048 values (8 per thread) so that the partials stay few.
inline int64_t capxai_chunks_for(int64_t c, int64_t per_channel, int64_t sms) {
  const int64_t wanted = (4 * sms + c - 1) / c;
  const int64_t most = (per_channel + 2047) / 2048;
  const int64_t chunks = wanted < most ? wanted : most;
  return chunks < 1 ? 1 : chunks;
}

// capxai_chunks_for on the current device.
inline int32_t capxai_channel_chunks(int64_t c, int64_t per_channel, int64_t *chunks) {
  int64_t sms = 0;
  const int32_t status = capxai_sm_count(&sms);
  if (status == CAPXAI_OK) *chunks = capxai_chunks_for(c, per_channel, sms);
  return status;
}

// Values [begin, end) of slice `chunk` of a channel of per_channel values.
__host__ __device__ inline void capxai_slice_bounds(int64_t per_channel, int64_t chunk, int64_t chunks,
                                                    int64_t *begin, int64_t *end) {
  *begin = per_channel * chunk / chunks;
  *end = per_channel * (chunk + 1) / chunks;
}

// Calls visit(image, position) for values e = first, first + stride, ... < end of a
// channel, e = image * hw + position, walked without a division per value. One thread of
// a block walks first = begin + threadIdx.x, stride = blockDim.x; __host__ __device__ so
// that the GPU check harness can verify on the host that the threads cover each value once.
#pragma nv_exec_check_disable  // visit may be host-only (the harness) or device-only (the kernels)
template <typename Visit>
__host__ __device__ inline void capxai_walk(int64_t first, int64_t end, int64_t stride, int64_t hw, Visit visit) {
  const int64_t step_image = stride / hw, step_position = stride % hw;
  int64_t image = first / hw, position = first - image * hw;
  for (int64_t e = first; e < end; e += stride) {
    visit(image, position);
    image += step_image;
    position += step_position;
    if (position >= hw) {
      position -= hw;
      image++;
    }
  }
}

// Calls visit(value, position) for this thread's share of slice `chunk` of channel k of x.
template <typename Visit>
__device__ inline void capxai_sweep_slice(const float *__restrict__ x, int64_t n, int64_t c, int64_t hw, int64_t k,
                                          int64_t chunk, int64_t chunks, Visit visit) {
  int64_t begin, end;
  capxai_slice_bounds(n * hw, chunk, chunks, &begin, &end);
  const float *channel = x + k * hw;
  capxai_walk(begin + threadIdx.x, end, blockDim.x, hw,
              [&](int64_t image, int64_t position) { visit(channel[image * c * hw + position], position); });
}
