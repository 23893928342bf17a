/* surgery_apply (docs/method.md#surgery): CLIP channel j of every image becomes the resized,
 * standardised standalone map k, rescaled to j's statistics:
 *   dst[t, j] = R((src[t, k] - src_mean[k]) / (src_std[k] + eps)) * dst_std[j] + dst_mean[j].
 * Standardising before resizing keeps large means from costing float32 precision. */
#include "interp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Checks the plan: indices in range, no CLIP channel written twice, usable std. */
static int32_t check_plan(int64_t cs, int64_t cd, const float *src_std, float eps,
                          const int32_t *dst_channel, const int32_t *src_channel, int64_t pairs) {
  const char *caller = "capxai_surgery_apply";
  int64_t *writer = malloc((size_t)cd * sizeof *writer); /* pair that writes channel j, or -1 */
  if (!writer) return capxai_fail(CAPXAI_ERR_DEVICE, "%s: out of memory checking the plan", caller);
  for (int64_t j = 0; j < cd; j++) writer[j] = -1;
  int32_t status = CAPXAI_OK;
  for (int64_t q = 0; q < pairs && status == CAPXAI_OK; q++) {
    const int64_t j = dst_channel[q], k = src_channel[q];
    if (j < 0 || j >= cd)
      status = capxai_fail(CAPXAI_ERR_INVALID, "%s: dst_channel[%lld] = %lld is outside [0, cd = %lld)",
                           caller, (long long)q, (long long)j, (long long)cd);
    else if (k < 0 || k >= cs)
      status = capxai_fail(CAPXAI_ERR_INVALID, "%s: src_channel[%lld] = %lld is outside [0, cs = %lld)",
                           caller, (long long)q, (long long)k, (long long)cs);
    else if (writer[j] >= 0)
      status = capxai_fail(CAPXAI_ERR_INVALID, "%s: dst_channel[%lld] = %lld repeats dst_channel[%lld]",
                           caller, (long long)q, (long long)j, (long long)writer[j]);
    else if (!(src_std[k] + eps > 0))
      status = capxai_fail(CAPXAI_ERR_INVALID, "%s: src_std[%lld] + eps = %g must be positive",
                           caller, (long long)k, (double)(src_std[k] + eps));
    else
      writer[j] = q;
  }
  free(writer);
  return status;
}

int32_t capxai_surgery_apply(const float *src, int64_t n, int64_t cs, int64_t sh, int64_t sw,
                             const float *src_mean, const float *src_std,
                             float *dst, int64_t cd, int64_t dh, int64_t dw,
                             const float *dst_mean, const float *dst_std,
                             const int32_t *dst_channel, const int32_t *src_channel, int64_t pairs,
                             int32_t mode, float eps, void *stream) {
  (void)stream;
  CAPXAI_REQUIRE_PTR(src);
  CAPXAI_REQUIRE_PTR(src_mean);
  CAPXAI_REQUIRE_PTR(src_std);
  CAPXAI_REQUIRE_PTR(dst);
  CAPXAI_REQUIRE_PTR(dst_mean);
  CAPXAI_REQUIRE_PTR(dst_std);
  CAPXAI_REQUIRE_PTR(dst_channel);
  CAPXAI_REQUIRE_PTR(src_channel);
  CAPXAI_REQUIRE_POSITIVE(n);
  CAPXAI_REQUIRE_POSITIVE(cs);
  CAPXAI_REQUIRE_POSITIVE(sh);
  CAPXAI_REQUIRE_POSITIVE(sw);
  CAPXAI_REQUIRE_POSITIVE(cd);
  CAPXAI_REQUIRE_POSITIVE(dh);
  CAPXAI_REQUIRE_POSITIVE(dw);
  CAPXAI_REQUIRE_POSITIVE(pairs);
  CAPXAI_REQUIRE(mode == CAPXAI_RESIZE_BILINEAR || mode == CAPXAI_RESIZE_BICUBIC,
                 "mode must be CAPXAI_RESIZE_BILINEAR (0) or CAPXAI_RESIZE_BICUBIC (1), got %d", mode);
  CAPXAI_REQUIRE(isfinite(eps) && eps >= 0, "eps must be finite and >= 0, got %g", (double)eps);
  CAPXAI_REQUIRE(pairs <= cd, "pairs = %lld exceeds the %lld channels of dst", (long long)pairs, (long long)cd);
  CAPXAI_REQUIRE_SIZE("src", n, cs, sh, sw);
  CAPXAI_REQUIRE_SIZE("dst", n, cd, dh, dw);
  CAPXAI_REQUIRE_SIZE("the scratch plane", sh, dw, 1, 1);
  const int32_t plan = check_plan(cs, cd, src_std, eps, dst_channel, src_channel, pairs);
  if (plan != CAPXAI_OK) return plan;

  const int same_size = sh == dh && sw == dw;
  capxai_axis rows = {0}, cols = {0};
  if (!same_size && (capxai_axis_init(&rows, sh, dh, mode) || capxai_axis_init(&cols, sw, dw, mode))) {
    capxai_axis_free(&rows);
    return CAPXAI_OUT_OF_MEMORY("the resize taps");
  }
  const int64_t jobs = pairs * n, src_plane = sh * sw, dst_plane = dh * dw;
  int failed = 0;
#pragma omp parallel if (jobs * dst_plane > (1 << 15))
  {
    float *tmp = same_size ? NULL : malloc((size_t)(sh * dw) * sizeof *tmp);
    if (!same_size && !tmp) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp for schedule(static)
    for (int64_t job = 0; job < jobs; job++) {
      const int64_t q = job / n, t = job % n, j = dst_channel[q], k = src_channel[q];
      const float *in = src + (t * cs + k) * src_plane;
      float *out = dst + (t * cd + j) * dst_plane;
      const float mean = src_mean[k], inv_std = 1.f / (src_std[k] + eps);
      const float scale = dst_std[j], offset = dst_mean[j];
      if (same_size) {
        for (int64_t p = 0; p < dst_plane; p++) out[p] = (in[p] - mean) * inv_std * scale + offset;
      } else if (tmp) {
        capxai_resize_plane(in, &rows, &cols, mean, inv_std, scale, offset, tmp, out);
      }
    }
    free(tmp);
  }
  capxai_axis_free(&rows);
  capxai_axis_free(&cols);
  return failed ? CAPXAI_OUT_OF_MEMORY("a scratch plane") : capxai_ok();
}
