/* Benchmark of the CPU kernels: moments (GB/s read) against memcpy on the same
 * machine, and cross_moment GFLOP/s = 2 * ca * cb * n * hw / t on the paper's shapes
 * (ResNet-50 taps vs CLIP RN50 stages, n = 25 images). --quick runs small sizes only.
 * Threads: OMP_NUM_THREADS (default: all cores).
 * --blas PATH also times cblas_sgemm of that library on the same shapes (as plain
 * [ca, K] x [cb, K]^T products), e.g. the OpenBLAS that JavaCPP's libtorch uses:
 *   ~/.javacpp/cache/pytorch-2.10.0-1.5.13-linux-x86_64.jar/org/bytedeco/pytorch/linux-x86_64/libopenblas.so.0 */
#include "capxai_kernels.h"

#include <dlfcn.h>
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

/* cblas_sgemm(order, transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) */
typedef void (*sgemm_fn)(int, int, int, int, int, int, float, const float *, int, const float *, int, float,
                         float *, int);
static sgemm_fn blas_sgemm;

static void bench_blas(int64_t ca, int64_t cb, int64_t k, const char *what) {
  float *a = filled(ca * k, 0), *b = filled(cb * k, 0), *c = calloc((size_t)(ca * cb), 4);
  double t;
  enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };
  BEST_OF(2, t, blas_sgemm(ROW_MAJOR, NO_TRANS, TRANS, (int)ca, (int)cb, (int)k, 1.f, a, (int)k, b, (int)k, 0.f, c, (int)cb));
  printf("cblas_sgemm   %-22s ca %5lld cb %5lld K %6lld        %8.1f ms  %6.1f GFLOP/s\n", what, (long long)ca,
         (long long)cb, (long long)k, t * 1e3, 2.0 * ca * cb * k / t / 1e9);
  free(a), free(b), free(c);
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
  int quick = 0;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--quick")) quick = 1;
    if (!strcmp(argv[i], "--blas") && i + 1 < argc) {
      void *lib = dlopen(argv[++i], RTLD_NOW | RTLD_LOCAL);
      blas_sgemm = lib ? (sgemm_fn)dlsym(lib, "cblas_sgemm") : NULL;
      void (*set_threads)(int) = lib ? (void (*)(int))dlsym(lib, "openblas_set_num_threads") : NULL;
      if (set_threads) set_threads(omp_get_max_threads());
      if (!blas_sgemm) printf("--blas %s: cannot load cblas_sgemm (%s)\n", argv[i], dlerror());
    }
  }
  printf("threads: %d%s\n", omp_get_max_threads(), quick ? " (quick: small sizes, partly cache-resident)" : "");
  bench_memory(quick);
  static const struct { int64_t ca, cb, n, hw; const char *what; } paper[] = {
      {9472, 1024, 25, 196, "14x14 vs layer3"}, {3200, 512, 25, 784, "28x28 vs layer2"},
      {1280, 256, 25, 3136, "56x56 vs layer1"}, {8704, 2048, 25, 49, "7x7 vs layer4"},
      {8704, 256, 25, 49, "7x7 vs Ut(layer1)"}},
    small[] = {{1024, 256, 2, 196, "quick 14x14"}, {1088, 256, 5, 49, "quick 7x7"}};
  const int shapes = quick ? 2 : 5;
  for (int i = 0; i < shapes; i++) {
    const __typeof__(paper[0]) *s = quick ? &small[i] : &paper[i];
    bench_cross_moment(s->ca, s->cb, s->n, s->hw, s->what);
  }
  /* BLAS last: its threads keep spinning after a call and would slow our kernels down. */
  for (int i = 0; i < shapes && blas_sgemm; i++) {
    const __typeof__(paper[0]) *s = quick ? &small[i] : &paper[i];
    bench_blas(s->ca, s->cb, s->n * s->hw, s->what);
  }
  return 0;
}
