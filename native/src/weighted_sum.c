/* weighted_sum: acc[k] += sum_i sum_q (x[i, k, q] - shift[k]) * w[q]  (S_a of docs/method.md#matching-in-one-pass).
 * Memory-bound: one float64 dot product per plane, vectorised by the compiler for the
 * best instruction set found at run time (target_clones). */
#include "reference.h"

/* sum_q (x[q] - shift) * w[q] in float64; w == NULL means w = 1. */
__attribute__((target_clones("avx512f", "avx2", "default")))
static double shifted_dot(const float *x, const float *w, int64_t len, double shift) {
  double sum = 0;
  if (w) {
#pragma omp simd reduction(+ : sum)
    for (int64_t q = 0; q < len; q++) sum += ((double)x[q] - shift) * (double)w[q];
  } else {
#pragma omp simd reduction(+ : sum)
    for (int64_t q = 0; q < len; q++) sum += (double)x[q] - shift;
  }
  return sum;
}

int32_t capxai_weighted_sum(const float *x, int64_t n, int64_t c, int64_t hw,
                            const float *shift, const float *w, double *acc, void *stream) {
  (void)stream;
  CAPXAI_REQUIRE_PTR(x);
  CAPXAI_REQUIRE_PTR(acc);
  CAPXAI_REQUIRE_POSITIVE(n);
  CAPXAI_REQUIRE_POSITIVE(c);
  CAPXAI_REQUIRE_POSITIVE(hw);
  CAPXAI_REQUIRE_SIZE("x", n, c, hw, 1);
  /* One thread per channel range: each acc[k] has a single writer. */
#pragma omp parallel for schedule(static) if (n * c * hw > (1 << 15))
  for (int64_t k = 0; k < c; k++) {
    const double s = shift ? (double)shift[k] : 0.0;
    double sum = 0;
    for (int64_t i = 0; i < n; i++) sum += shifted_dot(x + (i * c + k) * hw, w, hw, s);
    acc[k] += sum;
  }
  return capxai_ok();
}

void capxai_ref_weighted_sum(const float *x, int64_t n, int64_t c, int64_t hw,
                             const float *shift, const float *w, double *acc) {
  for (int64_t k = 0; k < c; k++)
    for (int64_t i = 0; i < n; i++)
      for (int64_t q = 0; q < hw; q++)
        acc[k] += ((double)x[(i * c + k) * hw + q] - (shift ? shift[k] : 0.0)) * (w ? w[q] : 1.0);
}
