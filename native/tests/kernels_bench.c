/* Benchmark of the CPU kernels: moments (GB/s read) against memcpy on the same
 * machine, and cross_moment GFLOP/s = 2 * ca * cb * n * hw / t on the paper's shapes
 * (ResNet-50 taps vs CLIP RN50 stages, n = 25 images). --quick runs small sizes only.
 * Threads: OMP_NUM_THREADS (default: all cores). Compare with libtorch's sgemm via
 * native/tests/torch_matmul_bench.py on the same shapes. */
#include "capxai_kernels.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double now(void) { return omp_get_wtime(); }

static float *filled(int64_t count, float base) {
  float *v = malloc((size_t)count * sizeof *v);
  for (int64_t i = 0; i < count; i++) v[i] = base + (float)((i * 2654435761u) % 1000) * 1e-3f;
  return v;
}

/* Best of `reps` timings: the machine is shared, the minimum is the least disturbed. */
#define BEST_OF(reps, seconds, body)                        \
  do {                                                      \
    seconds = 1e30;                                         \
    for (int rep_ = 0; rep_ < (reps); rep_++) {             \
      const double t0_ = now();                             \
      body;                                                 \
      const double t_ = now() - t0_;                        \
      if (t_ < seconds) seconds = t_;                       \
    }                                                       \
  } while (0)

static void bench_memory(int quick) {
  const int64_t n = quick ? 4 : 25, c = 256, hw = 56 * 56; /* a layer1-sized tap */
  const int64_t count = n * c * hw;
  const double bytes = (double)count * 4;
  float *x = filled(count, 100), *copy = malloc((size_t)bytes);
  double *cnt = calloc(c, 8), *mean = calloc(c, 8), *m2 = calloc(c, 8), *acc = calloc(c, 8);
  double t;
  memcpy(copy, x, (size_t)bytes); /* touch the pages */
  BEST_OF(5, t, memcpy(copy, x, (size_t)bytes));
  const double memcpy_gbs = 2 * bytes / t / 1e9; /* read + write */
  printf("memcpy        %7.1f MB  %6.2f ms  %6.1f GB/s (read + written)\n", bytes / 1e6, t * 1e3, memcpy_gbs);
  BEST_OF(5, t, capxai_moments_update(x, n, c, hw, cnt, mean, m2, NULL));
  printf("moments       %7.1f MB  %6.2f ms  %6.1f GB/s read = %.0f%% of memcpy\n", bytes / 1e6, t * 1e3,
         bytes / t / 1e9, 100 * bytes / t / 1e9 / memcpy_gbs);
  BEST_OF(5, t, capxai_weighted_sum(x, n, c, hw, NULL, NULL, acc, NULL));
  printf("weighted_sum  %7.1f MB  %6.2f ms  %6.1f GB/s read\n", bytes / 1e6, t * 1e3, bytes / t / 1e9);
  float *small = malloc((size_t)(n * c * 14 * 14) * 4);
  BEST_OF(5, t, capxai_resize_adjoint(x, n, c, 56, 56, NULL, small, 14, 14, NULL));
  printf("adjoint 56->14 %6.1f MB  %6.2f ms  %6.1f GB/s read\n", bytes / 1e6, t * 1e3, bytes / t / 1e9);
  free(x), free(copy), free(cnt), free(mean), free(m2), free(acc), free(small);
}

static void bench_cross_moment(int64_t ca, int64_t cb, int64_t n, int64_t hw, const char *what) {
  float *a = filled(n * ca * hw, 1), *b = filled(n * cb * hw, -1);
  float *sa = filled(ca, 1), *sb = filled(cb, -1);
  double *x = calloc((size_t)(ca * cb), 8);
  if (!a || !b || !x) {
    printf("cross_moment %s: out of memory\n", what);
    return;
  }
  double t;
  const int reps = 2;
  BEST_OF(reps, t, capxai_cross_moment(a, sa, ca, b, sb, cb, n, hw, x, NULL));
  const double flops = 2.0 * ca * cb * n * hw;
  printf("cross_moment  %-22s ca %5lld cb %5lld n %2lld hw %5lld  %8.1f ms  %6.1f GFLOP/s\n", what, (long long)ca,
         (long long)cb, (long long)n, (long long)hw, t * 1e3, flops / t / 1e9);
  free(a), free(b), free(sa), free(sb), free(x);
}

int main(int argc, char **argv) {
  const int quick = argc > 1 && !strcmp(argv[1], "--quick");
  printf("threads: %d%s\n", omp_get_max_threads(), quick ? " (quick)" : "");
  bench_memory(quick);
  if (quick) {
    bench_cross_moment(1024, 256, 2, 196, "quick 14x14");
    bench_cross_moment(8704 / 8, 2048 / 8, 5, 49, "quick 7x7");
    return 0;
  }
  bench_cross_moment(9472, 1024, 25, 196, "14x14 vs layer3");
  bench_cross_moment(3200, 512, 25, 784, "28x28 vs layer2");
  bench_cross_moment(1280, 256, 25, 3136, "56x56 vs layer1");
  bench_cross_moment(8704, 2048, 25, 49, "7x7 vs layer4");
  bench_cross_moment(8704, 256, 25, 49, "7x7 vs Ut(layer1)");
  return 0;
}
