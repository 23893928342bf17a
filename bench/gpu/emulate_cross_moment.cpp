// Runs the CUDA cross_moment kernel's own source (cuda-kernels/cross_moment_kernel.cuh)
// on the host through simt_host.h and compares it with the CPU library and a float64
// reference: tiles that overhang the matrix, K-blocks crossing images, more than one
// 256-position flush, shifts and large means. No GPU needed. Exit status 1 on failure.
#include "simt_host.h"

#include "../../cuda-kernels/cross_moment_kernel.cuh"
#include "capxai_kernels.h"

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>

namespace {

int failures = 0;
std::mt19937_64 rng(7);

std::vector<float> random_floats(int64_t count, double mean, double std) {
  std::normal_distribution<double> normal(mean, std);
  std::vector<float> v(static_cast<size_t>(count));
  for (auto &x : v) x = static_cast<float>(normal(rng));
  return v;
}

double relative_error(const std::vector<double> &got, const std::vector<double> &want) {
  double err = 0, scale = 1e-300;
  for (size_t i = 0; i < want.size(); i++) {
    if (std::isnan(got[i])) return INFINITY;
    err = std::max(err, std::fabs(got[i] - want[i]));
    scale = std::max(scale, std::fabs(want[i]));
  }
  return err / scale;
}

void check(int64_t ca, int64_t cb, int64_t n, int64_t hw, double mean, bool shifted) {
  using namespace capxai_cross;
  const auto a = random_floats(n * ca * hw, mean, 1), b = random_floats(n * cb * hw, -mean, 2);
  const auto sa = random_floats(ca, mean, 0.5), sb = random_floats(cb, -mean, 0.5);
  const float *pa = shifted ? sa.data() : nullptr, *pb = shifted ? sb.data() : nullptr;

  std::vector<double> emulated(ca * cb, 0.5), cpu(ca * cb, 0.5), exact(ca * cb, 0.5);
  // As capxai_cross_moment launches it on an H100 (132 SMs): split-K when tiles are few.
  const Segments segments = plan_segments(ca, cb, n * hw, 132, int64_t{256} << 20);
  const dim3 grid(static_cast<unsigned>((cb + TILE_J - 1) / TILE_J), static_cast<unsigned>((ca + TILE_I - 1) / TILE_I),
                  static_cast<unsigned>(segments.count));
  std::vector<double> partial(segments.count > 1 ? segments.count * ca * cb : 0, -1e300);
  double *out = segments.count > 1 ? partial.data() : emulated.data();
  simt_launch(grid, THREADS, SUMS_BYTES,
              [&] { cross_moment_kernel(a.data(), pa, ca, b.data(), pb, cb, n, hw, segments.positions, out); });
  if (segments.count > 1)
    simt_launch(dim3(static_cast<unsigned>((ca * cb + 255) / 256)), 256, 0,
                [&] { add_segments_kernel(partial.data(), segments.count, ca * cb, emulated.data()); });
  if (capxai_cross_moment(a.data(), pa, ca, b.data(), pb, cb, n, hw, cpu.data(), nullptr) != CAPXAI_OK) {
    std::printf("cpu cross_moment failed: %s\n", capxai_last_error());
    failures++;
    return;
  }
  for (int64_t t = 0; t < n; t++)
    for (int64_t i = 0; i < ca; i++)
      for (int64_t j = 0; j < cb; j++) {
        double sum = 0;
        for (int64_t p = 0; p < hw; p++)
          sum += (static_cast<double>(a[(t * ca + i) * hw + p]) - (pa ? pa[i] : 0.0)) *
                 (static_cast<double>(b[(t * cb + j) * hw + p]) - (pb ? pb[j] : 0.0));
        exact[i * cb + j] += sum;
      }
  // The header's precision contract, literally: float32 FMA sums in k order over blocks of
  // 256 positions, the blocks' sums added in float64 (per split-K segment, the segments'
  // totals then added in order), that total added into X. The kernel must match it bit for bit.
  std::vector<double> contract(ca * cb, 0.5);
  const int64_t total_k = n * hw;
  for (int64_t i = 0; i < ca; i++)
    for (int64_t j = 0; j < cb; j++) {
      double total = 0;
      for (int64_t segment = 0; segment < total_k; segment += segments.positions) {
        double segment_total = 0;
        const int64_t segment_end = std::min(segment + segments.positions, total_k);
        for (int64_t block = segment; block < segment_end; block += 256) {
          float partial_sum = 0;
          for (int64_t k = block; k < std::min(block + 256, segment_end); k++) {
            const int64_t t = k / hw, p = k % hw;
            const float av = a[(t * ca + i) * hw + p] - (pa ? pa[i] : 0.f);
            const float bv = b[(t * cb + j) * hw + p] - (pb ? pb[j] : 0.f);
            partial_sum = std::fmaf(av, bv, partial_sum);
          }
          segment_total += partial_sum;
        }
        total += segment_total;
      }
      contract[i * cb + j] += total;
    }
  const double vs_contract = relative_error(emulated, contract);
  const double vs_cpu = relative_error(emulated, cpu), vs_exact = relative_error(emulated, exact);
  const bool ok = vs_contract == 0 && vs_cpu <= 1e-5 && vs_exact <= 1e-4;
  if (!ok) failures++;
  std::printf("emulated cross_moment %4lldx%-4lld n %2lld hw %4lld mean %5.0f%s, %lld segment(s): vs contract %.1e "
              "(must be 0), vs cpu %.1e, vs f64 %.1e  %s\n",
              (long long)ca, (long long)cb, (long long)n, (long long)hw, mean, shifted ? " shifted" : "        ",
              (long long)segments.count, vs_contract, vs_cpu, vs_exact, ok ? "PASS" : "FAIL");
}

}  // namespace

int main() {
  check(1, 1, 1, 1, 0, false);        // one thread's worth of a single tile
  check(133, 77, 5, 61, 0, false);    // tiles overhang both ways; K = 305: a flush and a remainder
  check(130, 65, 3, 200, 50, true);   // K-stages cross image boundaries; shifted large means
  check(128, 64, 2, 256, 0, true);    // exact tiles, K = 512: two full flushes
  check(40, 200, 1, 600, 1000, true); // many column tiles, mean 1000 shifted away
  check(257, 3, 2, 7, 0, false);      // tiny hw (7x7-like), three row tiles
  check(64, 32, 3, 1100, 5, true);    // one tile, K = 3300: split-K into segments, last one short
  std::printf("%s\n", failures ? "CROSS_MOMENT EMULATION FAILED" : "CROSS_MOMENT EMULATION PASSED");
  return failures ? 1 : 0;
}
