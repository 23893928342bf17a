// Just enough of CUDA to build and run the kernel library's sources on the host, for
// testing without a GPU: one std::thread per CUDA thread, one block at a time,
// __syncthreads as a std::barrier, warp shuffles through per-warp slots, and a CUDA
// runtime in which "device memory" is host memory and every call succeeds at once.
// Slow; it checks indexing, tiling, synchronisation and the host wrappers, not speed.
// __shared__ variables become function statics: shared by the threads of the one block
// that runs at a time.
//
// Used two ways: included first by bench/gpu/emulate_cross_moment.cpp, and force-included
// (-include) when CMake builds cuda-kernels/*.cu as C++ into libcapxai_cuda_host.so.
#pragma once

#define CAPXAI_SIMT_HOST 1

#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

using std::isfinite;
using std::isnan;

// ---- the execution model -----------------------------------------------------------------

struct dim3 {
  unsigned x, y, z;
  dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

inline thread_local dim3 threadIdx;
inline dim3 blockIdx, blockDim, gridDim;

struct SimtBlock {  // what the threads of the running block share
  std::unique_ptr<std::barrier<>> block_barrier;
  std::vector<std::unique_ptr<std::barrier<>>> warp_barriers;
  std::vector<unsigned long long> warp_slots;  // 32 per warp, for shuffles
  std::atomic<int> vote[2];                    // __syncthreads_and, alternating
  std::vector<unsigned char> dynamic_smem;
};
inline SimtBlock *simt_block = nullptr;
inline thread_local unsigned simt_vote_round = 0;

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
#define __restrict__ __restrict

struct alignas(16) float4 {
  float x, y, z, w;
};

template <typename T>
inline T __ldg(const T *p) { return *p; }

inline void __syncthreads() { simt_block->block_barrier->arrive_and_wait(); }

// 1 if pred is non-zero on every thread of the block (a barrier, like the real thing).
inline int __syncthreads_and(int pred) {
  const unsigned round = simt_vote_round++ & 1;
  if (!pred) simt_block->vote[round].store(0);
  __syncthreads();
  const int all = simt_block->vote[round].load();
  if (threadIdx.x == 0) simt_block->vote[round ^ 1].store(1);  // ready for the next round
  __syncthreads();
  return all;
}

// All 32 lanes of the warp must call it (as the kernels here do, mask 0xffffffff).
template <typename T>
inline T __shfl_down_sync(unsigned, T value, int offset) {
  static_assert(sizeof(T) <= sizeof(unsigned long long), "shuffles of at most 8 bytes");
  const unsigned warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  unsigned long long *slots = simt_block->warp_slots.data() + 32 * warp;
  std::barrier<> &barrier = *simt_block->warp_barriers[warp];
  std::memcpy(&slots[lane], &value, sizeof(T));
  barrier.arrive_and_wait();
  T result = value;
  if (lane + offset < 32) std::memcpy(&result, &slots[lane + offset], sizeof(T));
  barrier.arrive_and_wait();  // nobody overwrites a slot before every lane has read
  return result;
}

template <typename T>
inline T atomicMin(T *address, T value) {
  std::atomic_ref<T> target(*address);
  T old = target.load();
  while (value < old && !target.compare_exchange_weak(old, value)) {
  }
  return old;
}

template <typename T>
inline T *capxai_dynamic_shared() { return reinterpret_cast<T *>(simt_block->dynamic_smem.data()); }

// Runs kernel() for every thread of every block, as kernel<<<grid, threads, smem>>>() would
// (one-dimensional blocks, a multiple of 32 threads).
template <typename Kernel>
void simt_launch(dim3 grid, unsigned threads, size_t dynamic_smem, Kernel kernel) {
  gridDim = grid;
  blockDim = dim3(threads);
  SimtBlock block;
  block.dynamic_smem.assign(dynamic_smem + 16, 0xAB);  // garbage, as on a GPU
  block.warp_slots.assign((threads + 31) / 32 * 32, 0);
  simt_block = &block;
  for (unsigned bz = 0; bz < grid.z; bz++)
  for (unsigned by = 0; by < grid.y; by++)
    for (unsigned bx = 0; bx < grid.x; bx++) {
      blockIdx = dim3(bx, by, bz);
      block.block_barrier = std::make_unique<std::barrier<>>(threads);
      block.warp_barriers.clear();
      for (unsigned w = 0; w < (threads + 31) / 32; w++)
        block.warp_barriers.push_back(std::make_unique<std::barrier<>>(std::min(32u, threads - 32 * w)));
      block.vote[0].store(1);
      block.vote[1].store(1);
      std::vector<std::thread> workers;
      for (unsigned t = 0; t < threads; t++)
        workers.emplace_back([&kernel, t] {
          threadIdx = dim3(t, 0, 0);
          simt_vote_round = 0;
          kernel();
        });
      for (auto &worker : workers) worker.join();
    }
  simt_block = nullptr;
}

// CAPXAI_LAUNCH(kernel, grid, threads, smem, stream)(args...) for the host.
template <typename... Params>
struct SimtLauncher {
  void (*kernel)(Params...);
  dim3 grid;
  unsigned threads;
  size_t smem;
  template <typename... Args>
  void operator()(Args... args) const {
    auto kernel_ = kernel;
    simt_launch(grid, threads, smem, [&] { kernel_(args...); });
  }
};
template <typename... Params>
SimtLauncher<Params...> simt_launcher(void (*kernel)(Params...), dim3 grid, unsigned threads, size_t smem) {
  return SimtLauncher<Params...>{kernel, grid, threads, smem};
}
#define CAPXAI_LAUNCH(kernel, grid, threads, smem, stream) ((void)(stream), simt_launcher(kernel, grid, threads, smem))

// ---- the runtime: one pretend device whose memory is host memory ---------------------------

typedef int cudaError_t;
constexpr cudaError_t cudaSuccess = 0;
typedef struct SimtStream *cudaStream_t;
enum cudaMemcpyKind { cudaMemcpyHostToDevice, cudaMemcpyDeviceToHost, cudaMemcpyDeviceToDevice, cudaMemcpyDefault };
enum cudaMemoryType { cudaMemoryTypeUnregistered, cudaMemoryTypeHost, cudaMemoryTypeDevice, cudaMemoryTypeManaged };
enum cudaDeviceAttr { cudaDevAttrMultiProcessorCount };
enum cudaFuncAttribute { cudaFuncAttributeMaxDynamicSharedMemorySize };
struct cudaPointerAttributes {
  cudaMemoryType type;
  int device;
  void *devicePointer;
  void *hostPointer;
};

inline cudaError_t cudaGetLastError() { return cudaSuccess; }
inline const char *cudaGetErrorString(cudaError_t) { return "no error (host emulation)"; }
inline cudaError_t cudaGetDeviceCount(int *count) { return *count = 1, cudaSuccess; }
inline cudaError_t cudaGetDevice(int *device) { return *device = 0, cudaSuccess; }
// An H100's 132 SMs, so that the slicing of channels is exercised as on the real thing.
inline cudaError_t cudaDeviceGetAttribute(int *value, cudaDeviceAttr, int) { return *value = 132, cudaSuccess; }
template <typename Kernel>
inline cudaError_t cudaFuncSetAttribute(Kernel, cudaFuncAttribute, int) { return cudaSuccess; }
inline cudaError_t cudaPointerGetAttributes(cudaPointerAttributes *a, const void *p) {
  *a = cudaPointerAttributes{cudaMemoryTypeDevice, 0, const_cast<void *>(p), nullptr};
  return cudaSuccess;
}
inline cudaError_t cudaMallocAsync(void **p, size_t bytes, cudaStream_t) {
  *p = std::malloc(bytes ? bytes : 1);
  if (*p) std::memset(*p, 0xAB, bytes);  // garbage, as on a GPU
  return *p ? cudaSuccess : 2;
}
inline cudaError_t cudaFreeAsync(void *p, cudaStream_t) { return std::free(p), cudaSuccess; }
inline cudaError_t cudaMemsetAsync(void *p, int value, size_t bytes, cudaStream_t) {
  return std::memset(p, value, bytes), cudaSuccess;
}
inline cudaError_t cudaMemcpy(void *to, const void *from, size_t bytes, cudaMemcpyKind) {
  return std::memcpy(to, from, bytes), cudaSuccess;
}
inline cudaError_t cudaMemcpyAsync(void *to, const void *from, size_t bytes, cudaMemcpyKind kind, cudaStream_t) {
  return cudaMemcpy(to, from, bytes, kind);
}
inline cudaError_t cudaMemcpy2D(void *to, size_t to_pitch, const void *from, size_t from_pitch, size_t width,
                                size_t height, cudaMemcpyKind) {
  for (size_t row = 0; row < height; row++)
    std::memcpy(static_cast<char *>(to) + row * to_pitch, static_cast<const char *>(from) + row * from_pitch, width);
  return cudaSuccess;
}
inline cudaError_t cudaStreamSynchronize(cudaStream_t) { return cudaSuccess; }  // launches ran to completion
