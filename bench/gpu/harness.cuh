// Shared by the GPU check harness's files (check.cu, emulation.cu, timing.cu): the two kernel
// libraries loaded side by side, random data, comparison and reporting, device buffers.
#pragma once

#include <cuda_runtime.h>
#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "capxai_kernels.h"

// ---- the two libraries ---------------------------------------------------------------

struct Kernels {
  std::string path;
  void *handle = nullptr;
  decltype(&capxai_abi_version) abi_version;
  decltype(&capxai_last_error) last_error;
  decltype(&capxai_device_count) device_count;
  decltype(&capxai_moments_update) moments_update;
  decltype(&capxai_moments_merge) moments_merge;
  decltype(&capxai_resize_adjoint) resize_adjoint;
  decltype(&capxai_resize) resize;
  decltype(&capxai_weighted_sum) weighted_sum;
  decltype(&capxai_cross_moment) cross_moment;
  decltype(&capxai_surgery_apply) surgery_apply;
};

template <typename F>
inline bool bind(Kernels &k, F &slot, const char *name) {
  slot = reinterpret_cast<F>(dlsym(k.handle, name));
  if (!slot) std::fprintf(stderr, "%s: missing symbol %s\n", k.path.c_str(), name);
  return slot != nullptr;
}

// RTLD_LOCAL keeps the two libraries' identical symbols apart.
inline bool load(Kernels &k, const std::string &path) {
  k.path = path;
  k.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!k.handle) {
    std::fprintf(stderr, "cannot load %s: %s\n", path.c_str(), dlerror());
    return false;
  }
  return bind(k, k.abi_version, "capxai_abi_version") && bind(k, k.last_error, "capxai_last_error") &&
         bind(k, k.device_count, "capxai_device_count") && bind(k, k.moments_update, "capxai_moments_update") &&
         bind(k, k.moments_merge, "capxai_moments_merge") && bind(k, k.resize_adjoint, "capxai_resize_adjoint") &&
         bind(k, k.resize, "capxai_resize") && bind(k, k.weighted_sum, "capxai_weighted_sum") &&
         bind(k, k.cross_moment, "capxai_cross_moment") && bind(k, k.surgery_apply, "capxai_surgery_apply");
}

inline Kernels cpu, gpu;
inline int failures = 0;
// "Device" buffers in host memory, for the CUDA library built for the host emulator.
inline bool host_memory = false;

// ---- data and comparison --------------------------------------------------------------

inline std::mt19937_64 rng(20261123);

inline std::vector<float> random_floats(int64_t count, double mean, double std) {
  std::normal_distribution<double> normal(mean, std);
  std::vector<float> v(static_cast<size_t>(count));
  for (auto &x : v) x = static_cast<float>(normal(rng));
  return v;
}

// max |got - want| / max |want|: the error relative to the size of the result.
template <typename T>
inline double relative_error(const std::vector<T> &got, const std::vector<T> &want) {
  double err = 0, scale = 1e-300;
  for (size_t i = 0; i < want.size(); i++) {
    if (std::isnan(static_cast<double>(got[i])) != std::isnan(static_cast<double>(want[i]))) return INFINITY;
    err = std::max(err, std::fabs(static_cast<double>(got[i]) - static_cast<double>(want[i])));
    scale = std::max(scale, std::fabs(static_cast<double>(want[i])));
  }
  return err / scale;
}

inline void report(const char *kernel, const std::string &shape, double err, double tolerance) {
  const bool ok = err <= tolerance;
  if (!ok) failures++;
  std::printf("%-16s %-44s max rel err %.3e (tol %.0e)  %s\n", kernel, shape.c_str(), err, tolerance,
              ok ? "PASS" : "FAIL");
}

inline void expect(bool ok, const char *what) {
  if (!ok) failures++;
  std::printf("%-61s %s\n", what, ok ? "PASS" : "FAIL");
}

// Both libraries must succeed; a failure is reported with its message.
inline bool both_ok(int32_t cpu_status, int32_t gpu_status, const char *kernel) {
  if (cpu_status == CAPXAI_OK && gpu_status == CAPXAI_OK) return true;
  failures++;
  std::printf("%-16s FAIL: cpu status %d (%s), cuda status %d (%s)\n", kernel, cpu_status, cpu.last_error(),
              gpu_status, gpu.last_error());
  return false;
}

inline void cuda_check(cudaError_t err, const char *what) {
  if (err == cudaSuccess) return;
  std::fprintf(stderr, "harness: %s: %s\n", what, cudaGetErrorString(err));
  std::exit(1);
}

// A device copy of a host vector; get() copies it back.
template <typename T>
struct Device {
  T *ptr = nullptr;
  size_t count = 0;
  explicit Device(const std::vector<T> &host) : Device(host.size()) {
    if (host_memory) std::memcpy(ptr, host.data(), count * sizeof(T));
    else cuda_check(cudaMemcpy(ptr, host.data(), count * sizeof(T), cudaMemcpyHostToDevice), "copy to device");
  }
  explicit Device(size_t n) : count(n) {
    const size_t bytes = std::max<size_t>(n, 1) * sizeof(T);
    if (host_memory) ptr = static_cast<T *>(std::malloc(bytes));
    else cuda_check(cudaMalloc(&ptr, bytes), "cudaMalloc");
  }
  Device(const Device &) = delete;
  ~Device() {
    if (host_memory) std::free(ptr);
    else cudaFree(ptr);
  }
  std::vector<T> get() const {
    std::vector<T> host(count);
    if (host_memory) std::memcpy(host.data(), ptr, count * sizeof(T));
    else cuda_check(cudaMemcpy(host.data(), ptr, count * sizeof(T), cudaMemcpyDeviceToHost), "copy to host");
    return host;
  }
};

inline std::string dims(std::initializer_list<int64_t> values) {
  std::string s;
  for (int64_t v : values) s += (s.empty() ? "" : "x") + std::to_string(v);
  return s;
}

// The harness's modes (check.cu: correctness and the no-device checks; emulation.cu; timing.cu).
void run_checks(bool quick);
bool check_without_device();
int run_emulation();
void run_bench();
