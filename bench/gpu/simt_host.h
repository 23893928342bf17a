// Just enough of CUDA to run a kernel's source on the host: one std::thread per CUDA
// thread, one block at a time, __syncthreads as a std::barrier. For testing kernels
// without a GPU (bench/gpu/emulate_cross_moment.cpp); slow, and it checks indexing,
// tiling and synchronisation, not performance. __shared__ variables become function
// statics: shared by the threads of the one block that runs at a time.
#pragma once

#define CAPXAI_SIMT_HOST 1

#include <barrier>
#include <cmath>
#include <cstdint>
#include <thread>
#include <vector>

struct dim3 {
  unsigned x = 1, y = 1, z = 1;
};

inline thread_local dim3 threadIdx;
inline dim3 blockIdx, blockDim, gridDim;
inline std::barrier<> *simt_block_barrier = nullptr;
inline std::vector<unsigned char> simt_dynamic_smem;

#define __global__
#define __device__
#define __host__
#define __shared__ static
#define __launch_bounds__(...)
#define __align__(n) __attribute__((aligned(n)))
#define __restrict__ __restrict

struct alignas(16) float4 {
  float x, y, z, w;
};

template <typename T>
inline T __ldg(const T *p) { return *p; }

inline void __syncthreads() { simt_block_barrier->arrive_and_wait(); }

template <typename T>
inline T *capxai_dynamic_shared() { return reinterpret_cast<T *>(simt_dynamic_smem.data()); }

// Runs kernel() for every thread of every block of the grid, the way kernel<<<grid, block,
// dynamic_smem>>>() would (one-dimensional blocks).
template <typename Kernel>
void simt_launch(dim3 grid, unsigned threads, size_t dynamic_smem, Kernel kernel) {
  gridDim = grid;
  blockDim = dim3{threads, 1, 1};
  simt_dynamic_smem.assign(dynamic_smem + 16, 0xAB);  // garbage, as on a GPU
  for (unsigned by = 0; by < grid.y; by++)
    for (unsigned bx = 0; bx < grid.x; bx++) {
      blockIdx = dim3{bx, by, 0};
      std::barrier<> barrier(threads);
      simt_block_barrier = &barrier;
      std::vector<std::thread> block;
      for (unsigned t = 0; t < threads; t++)
        block.emplace_back([&kernel, t] {
          threadIdx = dim3{t, 0, 0};
          kernel();
        });
      for (auto &thread : block) thread.join();
    }
}
