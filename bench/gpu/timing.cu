// The GPU check harness's --bench mode (see check.cu): a markdown timing table of the CUDA
// kernels on the paper's shapes, with bandwidth against a device-to-device copy.
#include "harness.cuh"

#include <functional>

// ---- timing -----------------------------------------------------------------------------

// Milliseconds per call of f (after one warm-up call), timed with CUDA events.
static float time_ms(const std::function<void()> &f, int repeats) {
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  f();
  cudaEventRecord(start);
  for (int i = 0; i < repeats; i++) f();
  cudaEventRecord(stop);
  cuda_check(cudaEventSynchronize(stop), "timing");
  float ms = 0;
  cudaEventElapsedTime(&ms, start, stop);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return ms / repeats;
}

static void must(int32_t status, const char *what) {
  if (status == CAPXAI_OK) return;
  std::fprintf(stderr, "%s failed: %s\n", what, gpu.last_error());
  std::exit(1);
}

void run_bench() {
  cudaDeviceProp prop;
  cudaGetDeviceProperties(&prop, 0);
  std::printf("\n## capxai CUDA kernels on %s\n\n", prop.name);

  // Bandwidth: a device-to-device copy reads and writes every byte.
  const size_t copy_bytes = size_t{512} << 20;
  Device<char> from(copy_bytes), to(copy_bytes);
  const float copy_ms = time_ms([&] { cudaMemcpy(to.ptr, from.ptr, copy_bytes, cudaMemcpyDeviceToDevice); }, 10);
  const double copy_gbs = 2.0 * copy_bytes / copy_ms / 1e6;
  std::printf("| moments_update [n, c, hw] | MB read | ms | GB/s | share of cudaMemcpy D2D (%.0f GB/s, read+write) |\n",
              copy_gbs);
  std::printf("|---|---|---|---|---|\n");
  const int64_t moment_shapes[][3] = {{25, 64, 12544}, {25, 256, 3136}, {25, 1024, 196}, {25, 2048, 49}};
  for (const auto &s : moment_shapes) {
    const int64_t n = s[0], c = s[1], hw = s[2];
    Device<float> x(random_floats(n * c * hw, 3, 1));
    Device<double> count(std::vector<double>(c, 0)), mean(std::vector<double>(c, 0)), m2(std::vector<double>(c, 0));
    const float ms = time_ms(
        [&] { must(gpu.moments_update(x.ptr, n, c, hw, count.ptr, mean.ptr, m2.ptr, nullptr), "moments"); }, 10);
    const double bytes = 4.0 * n * c * hw, gbs = bytes / ms / 1e6;
    std::printf("| %s | %.1f | %.3f | %.0f | %.0f %% |\n", dims({n, c, hw}).c_str(), bytes / 1e6, ms, gbs,
                100 * gbs / copy_gbs);
  }

  std::printf("\n| cross_moment (n = 25) ca x cb @ hw | GFLOP | ms | GFLOP/s |\n|---|---|---|---|\n");
  const int64_t gemm_shapes[][3] = {{9472, 1024, 196}, {3200, 512, 784}, {1280, 256, 3136}, {8704, 2048, 49}};
  for (const auto &s : gemm_shapes) {
    const int64_t n = 25, ca = s[0], cb = s[1], hw = s[2];
    Device<float> a(random_floats(n * ca * hw, 1, 1)), b(random_floats(n * cb * hw, 1, 1));
    Device<float> sa(random_floats(ca, 1, 0.1)), sb(random_floats(cb, 1, 0.1));
    Device<double> x(std::vector<double>(ca * cb, 0));
    const float ms = time_ms([&] {
      must(gpu.cross_moment(a.ptr, sa.ptr, ca, b.ptr, sb.ptr, cb, n, hw, x.ptr, nullptr), "cross_moment");
    }, 3);
    const double gflop = 2.0 * ca * cb * n * hw / 1e9;
    std::printf("| %lld x %lld @ %lld | %.1f | %.2f | %.0f |\n", (long long)ca, (long long)cb, (long long)hw, gflop,
                ms, gflop / ms * 1e3);
  }

  std::printf("\n| other kernels (n = 25) | ms |\n|---|---|\n");
  {
    const int64_t n = 25, c = 64;
    Device<float> big(random_floats(n * c * 112 * 112, 1, 1)), small(n * c * 7 * 7);
    std::printf("| resize_adjoint %s -> 7x7 | %.3f |\n", dims({n, c, 112, 112}).c_str(),
                time_ms([&] {
                  must(gpu.resize_adjoint(big.ptr, n, c, 112, 112, nullptr, small.ptr, 7, 7, nullptr), "adjoint");
                }, 10));
    Device<float> x(random_floats(n * 1024 * 196, 1, 1));
    Device<double> acc(std::vector<double>(1024, 0));
    Device<float> w(random_floats(196, 1, 0.1));
    std::printf("| weighted_sum %s | %.3f |\n", dims({n, 1024, 196}).c_str(),
                time_ms([&] {
                  must(gpu.weighted_sum(x.ptr, n, 1024, 196, nullptr, w.ptr, acc.ptr, nullptr), "weighted_sum");
                }, 10));
    // Surgery of all of layer4 (2048 channels at 7x7) from 14x14 standalone maps, bilinear.
    const int64_t cs = 1024, cd = 2048;
    Device<float> src(random_floats(n * cs * 196, 0, 1)), dst(n * cd * 49);
    Device<float> ones(std::vector<float>(std::max(cs, cd), 1.f)), zeros(std::vector<float>(std::max(cs, cd), 0.f));
    std::vector<int32_t> pd(cd), ps(cd);
    for (int64_t j = 0; j < cd; j++) pd[j] = static_cast<int32_t>(j), ps[j] = static_cast<int32_t>((j * 7) % cs);
    Device<int32_t> d_pd(pd), d_ps(ps);
    std::printf("| surgery_apply %s -> %s, %lld pairs | %.3f |\n", dims({n, cs, 14, 14}).c_str(),
                dims({cd, 7, 7}).c_str(),
                (long long)cd, time_ms([&] {
                  must(gpu.surgery_apply(src.ptr, n, cs, 14, 14, zeros.ptr, ones.ptr, dst.ptr, cd, 7, 7, zeros.ptr,
                                         ones.ptr, d_pd.ptr, d_ps.ptr, cd, CAPXAI_RESIZE_BILINEAR, 1e-5f, nullptr),
                       "surgery");
                }, 10));
  }
}
