/* moments: streaming per-channel count / mean / M2 (docs/method.md#channel-statistics), float64, Chan merges.
 *
 * One pass over the batch: for every plane (image t, channel k) the sums of d and d^2,
 * d = x - shift_k, are taken in float64 with shift_k = the channel's first value in
 * the batch. That shift keeps d = O(std) even for means like 1e4, so
 * M2 = S2 - S1^2 / N loses almost nothing to cancellation; the planes' sums of one
 * channel share the shift and simply add. The batch's (N, mean, M2) is then merged
 * into the accumulators with Chan et al.'s formula. */
#include "reference.h"
#include "simd.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>

/* Chan et al.: merges (nb, mean_b, m2_b) into (*na, *mean_a, *m2_a). */
static void chan_merge(double *na, double *mean_a, double *m2_a, double nb, double mean_b, double m2_b) {
  if (nb == 0) return;
  const double n = *na + nb;
  const double delta = mean_b - *mean_a;
  *mean_a += delta * (nb / n);
  *m2_a += m2_b + delta * delta * (*na * (nb / n));
  *na = n;
}

/* s[0] = sum (x - shift), s[1] = sum (x - shift)^2 over len floats, in float64. */
static void shifted_sums_scalar(const float *x, int64_t len, double shift, double *s) {
  double s1[4] = {0}, s2[4] = {0};
  int64_t i = 0;
  for (; i + 4 <= len; i += 4)
    for (int l = 0; l < 4; l++) {
      const double d = (double)x[i + l] - shift;
      s1[l] += d;
      s2[l] += d * d;
    }
  for (; i < len; i++) {
    const double d = (double)x[i] - shift;
    s1[0] += d;
    s2[0] += d * d;
  }
  s[0] = (s1[0] + s1[1]) + (s1[2] + s1[3]);
  s[1] = (s2[0] + s2[1]) + (s2[2] + s2[3]);
}

__attribute__((target("avx2,fma")))
static void shifted_sums_avx2(const float *x, int64_t len, double shift, double *s) {
  const __m256d sh = _mm256_set1_pd(shift);
  __m256d a1 = _mm256_setzero_pd(), a2 = _mm256_setzero_pd();
  __m256d b1 = _mm256_setzero_pd(), b2 = _mm256_setzero_pd();
  int64_t i = 0;
  for (; i + 8 <= len; i += 8) {
    const __m256d lo = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + i)), sh);
    const __m256d hi = _mm256_sub_pd(_mm256_cvtps_pd(_mm_loadu_ps(x + i + 4)), sh);
    a1 = _mm256_add_pd(a1, lo);
    a2 = _mm256_fmadd_pd(lo, lo, a2);
    b1 = _mm256_add_pd(b1, hi);
    b2 = _mm256_fmadd_pd(hi, hi, b2);
  }
  double v1[4], v2[4];
  _mm256_storeu_pd(v1, _mm256_add_pd(a1, b1));
  _mm256_storeu_pd(v2, _mm256_add_pd(a2, b2));
  double tail[2];
  shifted_sums_scalar(x + i, len - i, shift, tail);
  s[0] = (v1[0] + v1[1]) + (v1[2] + v1[3]) + tail[0];
  s[1] = (v2[0] + v2[1]) + (v2[2] + v2[3]) + tail[1];
}

__attribute__((target("avx512f,avx512dq")))
static void shifted_sums_avx512(const float *x, int64_t len, double shift, double *s) {
  const __m512d sh = _mm512_set1_pd(shift);
  __m512d a1 = _mm512_setzero_pd(), a2 = _mm512_setzero_pd();
  __m512d b1 = _mm512_setzero_pd(), b2 = _mm512_setzero_pd();
  int64_t i = 0;
  for (; i + 16 <= len; i += 16) {
    const __m512 v = _mm512_loadu_ps(x + i);
    const __m512d lo = _mm512_sub_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(v)), sh);
    const __m512d hi = _mm512_sub_pd(_mm512_cvtps_pd(_mm512_extractf32x8_ps(v, 1)), sh);
    a1 = _mm512_add_pd(a1, lo);
    a2 = _mm512_fmadd_pd(lo, lo, a2);
    b1 = _mm512_add_pd(b1, hi);
    b2 = _mm512_fmadd_pd(hi, hi, b2);
  }
  for (; i + 8 <= len; i += 8) {
    const __m512d d = _mm512_sub_pd(_mm512_cvtps_pd(_mm256_loadu_ps(x + i)), sh);
    a1 = _mm512_add_pd(a1, d);
    a2 = _mm512_fmadd_pd(d, d, a2);
  }
  double tail[2];
  shifted_sums_scalar(x + i, len - i, shift, tail);
  s[0] = _mm512_reduce_add_pd(_mm512_add_pd(a1, b1)) + tail[0];
  s[1] = _mm512_reduce_add_pd(_mm512_add_pd(a2, b2)) + tail[1];
}

typedef void (*shifted_sums_fn)(const float *, int64_t, double, double *);

static shifted_sums_fn pick_shifted_sums(void) {
  switch (capxai_best_isa()) {
    case CAPXAI_ISA_AVX512: return shifted_sums_avx512;
    case CAPXAI_ISA_AVX2: return shifted_sums_avx2;
    default: return shifted_sums_scalar;
  }
}

int32_t capxai_moments_update(const float *x, int64_t n, int64_t c, int64_t hw,
                              double *count, double *mean, double *m2, void *stream) {
  (void)stream;
  CAPXAI_REQUIRE_PTR(x);
  CAPXAI_REQUIRE_PTR(count);
  CAPXAI_REQUIRE_PTR(mean);
  CAPXAI_REQUIRE_PTR(m2);
  CAPXAI_REQUIRE_POSITIVE(n);
  CAPXAI_REQUIRE_POSITIVE(c);
  CAPXAI_REQUIRE_POSITIVE(hw);
  CAPXAI_REQUIRE_SIZE("x", n, c, hw, 1);

  const int64_t planes = n * c;
  double *sums = malloc((size_t)planes * 2 * sizeof *sums); /* [t, k] -> {S1, S2} */
  if (!sums) return CAPXAI_OUT_OF_MEMORY("the per-plane sums");
  const shifted_sums_fn shifted_sums = pick_shifted_sums();

#pragma omp parallel for schedule(static) if (planes * hw > (1 << 15))
  for (int64_t plane = 0; plane < planes; plane++) {
    const int64_t k = plane % c;
    shifted_sums(x + plane * hw, hw, (double)x[k * hw], sums + 2 * plane);
  }

  /* Non-finite input makes a sum non-finite (finite floats cannot overflow a double
   * sum here), so checking the sums finds it; nothing is written before this check. */
  for (int64_t k = 0; k < c; k++)
    for (int64_t t = 0; t < n; t++) {
      const double *s = sums + 2 * (t * c + k);
      if (isfinite(s[0]) && isfinite(s[1])) continue;
      const float *xp = x + (t * c + k) * hw;
      int64_t p = 0;
      while (p < hw - 1 && isfinite(xp[p])) p++;
      free(sums);
      return capxai_fail(CAPXAI_ERR_NONFINITE,
                         "%s: x holds %s in channel %lld (image %lld, position %lld); "
                         "the accumulators are left unchanged",
                         __func__, isnan(xp[p]) ? "NaN" : "Inf", (long long)k, (long long)t,
                         (long long)p);
    }

  const double batch_count = (double)(n * hw);
  for (int64_t k = 0; k < c; k++) {
    double s1 = 0, s2 = 0;
    for (int64_t t = 0; t < n; t++) {
      s1 += sums[2 * (t * c + k)];
      s2 += sums[2 * (t * c + k) + 1];
    }
    const double shift = (double)x[k * hw];
    const double batch_m2 = fmax(s2 - s1 * (s1 / batch_count), 0.0);
    chan_merge(&count[k], &mean[k], &m2[k], batch_count, shift + s1 / batch_count, batch_m2);
  }
  free(sums);
  return capxai_ok();
}

int32_t capxai_moments_merge(double *count_a, double *mean_a, double *m2_a,
                             const double *count_b, const double *mean_b, const double *m2_b,
                             int64_t c, void *stream) {
  (void)stream;
  CAPXAI_REQUIRE_PTR(count_a);
  CAPXAI_REQUIRE_PTR(mean_a);
  CAPXAI_REQUIRE_PTR(m2_a);
  CAPXAI_REQUIRE_PTR(count_b);
  CAPXAI_REQUIRE_PTR(mean_b);
  CAPXAI_REQUIRE_PTR(m2_b);
  CAPXAI_REQUIRE_POSITIVE(c);
  for (int64_t k = 0; k < c; k++) { /* check everything first: a failure changes nothing */
    CAPXAI_REQUIRE(count_a[k] >= 0, "count_a[%lld] must be >= 0, got %g", (long long)k, count_a[k]);
    CAPXAI_REQUIRE(count_b[k] >= 0, "count_b[%lld] must be >= 0, got %g", (long long)k, count_b[k]);
  }
  for (int64_t k = 0; k < c; k++) chan_merge(&count_a[k], &mean_a[k], &m2_a[k], count_b[k], mean_b[k], m2_b[k]);
  return capxai_ok();
}

/* ---- reference ---------------------------------------------------------------- */

/* The pooled M2 written as sums of squared distances to the pooled mean. */
static void ref_pool(double *na, double *ma, double *m2a, double nb, double mb, double m2b) {
  const double n = *na + nb;
  if (n == 0) return;
  const double m = (*na * *ma + nb * mb) / n;
  *m2a = *m2a + m2b + *na * (*ma - m) * (*ma - m) + nb * (mb - m) * (mb - m);
  *ma = m;
  *na = n;
}

int32_t capxai_ref_moments_update(const float *x, int64_t n, int64_t c, int64_t hw,
                                  double *count, double *mean, double *m2) {
  for (int64_t i = 0; i < n * c * hw; i++)
    if (!isfinite(x[i])) return CAPXAI_ERR_NONFINITE;
  for (int64_t k = 0; k < c; k++) {
    double sum = 0, m2_batch = 0;
    for (int64_t t = 0; t < n; t++)
      for (int64_t p = 0; p < hw; p++) sum += x[(t * c + k) * hw + p];
    const double mean_batch = sum / (double)(n * hw);
    for (int64_t t = 0; t < n; t++)
      for (int64_t p = 0; p < hw; p++) {
        const double d = x[(t * c + k) * hw + p] - mean_batch;
        m2_batch += d * d;
      }
    ref_pool(&count[k], &mean[k], &m2[k], (double)(n * hw), mean_batch, m2_batch);
  }
  return CAPXAI_OK;
}

void capxai_ref_moments_merge(double *count_a, double *mean_a, double *m2_a,
                              const double *count_b, const double *mean_b, const double *m2_b,
                              int64_t c) {
  for (int64_t k = 0; k < c; k++) ref_pool(&count_a[k], &mean_a[k], &m2_a[k], count_b[k], mean_b[k], m2_b[k]);
}
