// Internal helpers shared by the CUDA kernels (not part of the public header).
#pragma once

#ifndef CAPXAI_SIMT_HOST  // else bench/gpu/simt_host.h stands in for CUDA (tests without a GPU)
#include <cuda_runtime.h>

// kernel<<<grid, threads, smem, stream>>>, written as a macro so that the same sources also
// build for the host emulator.
#define CAPXAI_LAUNCH(kernel, grid, threads, smem, stream) kernel<<<(grid), (threads), (smem), (stream)>>>
#endif

#include <cstdint>

#include "capxai_require.h"  // CAPXAI_REQUIRE*, capxai_fail, capxai_elements: shared with the CPU library

// Turns the last launch's CUDA error (if any) into a status with a message.
int32_t capxai_check_launch(const char *kernel);

// Turns a CUDA runtime result into a status: CAPXAI_OK, or CAPXAI_ERR_DEVICE naming what failed.
int32_t capxai_cuda_status(cudaError_t err, const char *caller, const char *what);

// CAPXAI_OK if p is memory the GPU can read (device, managed or mapped host memory);
// CAPXAI_ERR_INVALID for a plain host pointer (which would crash the kernel);
// CAPXAI_ERR_DEVICE when there is no usable device.
int32_t capxai_check_device_pointer(const void *p, const char *caller, const char *name);

// The current device's number of multiprocessors (to size grids), or CAPXAI_ERR_DEVICE.
int32_t capxai_sm_count(int64_t *sms);

// Not NULL and readable by the GPU (a host pointer would fault inside the kernel and
// poison the CUDA context for the whole process).
#define CAPXAI_REQUIRE_DEVICE_PTR(p)                                                \
  do {                                                                              \
    CAPXAI_REQUIRE_PTR(p);                                                          \
    int32_t capxai_status_ = capxai_check_device_pointer((p), __func__, #p);        \
    if (capxai_status_ != CAPXAI_OK) return capxai_status_;                         \
  } while (0)

// Returns early with CAPXAI_ERR_DEVICE if a CUDA runtime call fails.
#define CAPXAI_CUDA_TRY(call, what)                                                  \
  do {                                                                               \
    int32_t capxai_status_ = capxai_cuda_status((call), __func__, what);             \
    if (capxai_status_ != CAPXAI_OK) return capxai_status_;                          \
  } while (0)

static inline cudaStream_t as_stream(void *stream) { return static_cast<cudaStream_t>(stream); }

// Threads per block of the element-wise and per-channel kernels.
constexpr int CAPXAI_THREADS = 256;

// Blocks for a grid-stride loop over `total` items: enough to fill any current GPU,
// capped so that gridDim.x stays far from its limit (the loop covers the rest).
static inline unsigned capxai_blocks(int64_t total, int threads = CAPXAI_THREADS) {
  int64_t blocks = (total + threads - 1) / threads;
  if (blocks > 65536) blocks = 65536;
  return static_cast<unsigned>(blocks < 1 ? 1 : blocks);
}

// Sentinel of a device-side "first bad index" flag: nothing went wrong.
constexpr unsigned long long CAPXAI_NO_FAULT = ~0ull;

// A small stream-ordered scratch allocation (never managed memory), freed on scope exit.
template <typename T>
struct DeviceScratch {
  T *ptr = nullptr;
  cudaStream_t stream = nullptr;
  cudaError_t allocate(int64_t count, cudaStream_t s) {
    stream = s;
    return cudaMallocAsync(reinterpret_cast<void **>(&ptr), static_cast<size_t>(count) * sizeof(T), s);
  }
  ~DeviceScratch() {
    if (ptr) cudaFreeAsync(ptr, stream);
  }
};

// Sums v over the block (blockDim.x a multiple of 32, at most 1024); the total is valid in
// thread 0. `shared` holds 32 values; the function may be called repeatedly.
template <typename T>
__device__ inline T capxai_block_sum(T v, T *shared) {
  for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffffu, v, offset);
  const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
  __syncthreads();  // earlier readers of `shared` are done
  if (lane == 0) shared[warp] = v;
  __syncthreads();
  v = threadIdx.x < (blockDim.x >> 5) ? shared[threadIdx.x] : T(0);
  if (warp == 0)
    for (int offset = 16; offset > 0; offset >>= 1) v += __shfl_down_sync(0xffffffffu, v, offset);
  return v;
}
