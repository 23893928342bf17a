/* resize_adjoint: out = Ut(x - shift), the transpose of bilinear upsampling U from
 * [sh, sw] to [mh, mw] (SPEC 1.3, fact 1). U sends input sample i to output sample o
 * with weight w(o, i), so Ut scatters each large-map value back onto the (at most two
 * per axis) small-map samples it was interpolated from, with the same weights:
 * a width pass into a scratch [mh, sw], then a height pass. */
#include "interp.h"
#include "reference.h"

#include <stdlib.h>
#include <string.h>

/* One plane: out[sh, sw] = Ut(x[mh, mw] - shift); tmp holds sh * mw floats. The height
 * pass goes first, over whole rows (vectorisable), so that the scattering width pass
 * only sees the sh rows left, not all mh. */
static void adjoint_plane(const float *x, const capxai_axis *rows, const capxai_axis *cols,
                          float shift, float *tmp, float *out) {
  const int64_t mh = rows->out, mw = cols->out, sh = rows->in, sw = cols->in;
  memset(tmp, 0, (size_t)(sh * mw) * sizeof *tmp);
  for (int64_t o = 0; o < mh; o++) {
    const float *src = x + o * mw;
    for (int64_t t = 0; t < 2; t++) {
      float *dst = tmp + rows->index[2 * o + t] * mw;
      const float w = rows->weight[2 * o + t];
      for (int64_t c = 0; c < mw; c++) dst[c] += w * (src[c] - shift);
    }
  }
  memset(out, 0, (size_t)(sh * sw) * sizeof *out);
  for (int64_t r = 0; r < sh; r++) {
    const float *src = tmp + r * mw;
    float *dst = out + r * sw;
    for (int64_t o = 0; o < mw; o++) {
      dst[cols->index[2 * o]] += cols->weight[2 * o] * src[o];
      dst[cols->index[2 * o + 1]] += cols->weight[2 * o + 1] * src[o];
    }
  }
}

int32_t capxai_resize_adjoint(const float *x, int64_t n, int64_t c, int64_t mh, int64_t mw,
                              const float *shift, float *out, int64_t sh, int64_t sw,
                              void *stream) {
  (void)stream;
  CAPXAI_REQUIRE_PTR(x);
  CAPXAI_REQUIRE_PTR(out);
  CAPXAI_REQUIRE_POSITIVE(n);
  CAPXAI_REQUIRE_POSITIVE(c);
  CAPXAI_REQUIRE_POSITIVE(mh);
  CAPXAI_REQUIRE_POSITIVE(mw);
  CAPXAI_REQUIRE_POSITIVE(sh);
  CAPXAI_REQUIRE_POSITIVE(sw);
  CAPXAI_REQUIRE(sh <= mh && sw <= mw,
                 "the small map [sh, sw] = [%lld, %lld] must not exceed the large map [mh, mw] = [%lld, %lld]",
                 (long long)sh, (long long)sw, (long long)mh, (long long)mw);
  CAPXAI_REQUIRE_SIZE("x", n, c, mh, mw);

  capxai_axis rows, cols; /* the upsampling U: small -> large */
  if (capxai_axis_init(&rows, sh, mh, CAPXAI_RESIZE_BILINEAR)) return CAPXAI_OUT_OF_MEMORY("the row taps");
  if (capxai_axis_init(&cols, sw, mw, CAPXAI_RESIZE_BILINEAR)) {
    capxai_axis_free(&rows);
    return CAPXAI_OUT_OF_MEMORY("the column taps");
  }
  const int64_t planes = n * c;
  int failed = 0;
#pragma omp parallel if (planes * mh * mw > (1 << 15))
  {
    float *tmp = malloc((size_t)(sh * mw) * sizeof *tmp);
    if (!tmp) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp for schedule(static)
    for (int64_t plane = 0; plane < planes; plane++)
      if (tmp) adjoint_plane(x + plane * mh * mw, &rows, &cols, shift ? shift[plane % c] : 0.f, tmp, out + plane * sh * sw);
    free(tmp);
  }
  capxai_axis_free(&rows);
  capxai_axis_free(&cols);
  return failed ? CAPXAI_OUT_OF_MEMORY("a scratch plane") : capxai_ok();
}

/* out[iy, ix] = sum over (oy, ox) of Wy[oy, iy] Wx[ox, ix] (x[oy, ox] - shift), float64. */
void capxai_ref_resize_adjoint(const float *x, int64_t n, int64_t c, int64_t mh, int64_t mw,
                               const float *shift, float *out, int64_t sh, int64_t sw) {
  double *wy = malloc((size_t)(mh * sh) * sizeof *wy), *wx = malloc((size_t)(mw * sw) * sizeof *wx);
  capxai_ref_interp_matrix(sh, mh, CAPXAI_RESIZE_BILINEAR, wy);
  capxai_ref_interp_matrix(sw, mw, CAPXAI_RESIZE_BILINEAR, wx);
  for (int64_t plane = 0; plane < n * c; plane++) {
    const double s = shift ? shift[plane % c] : 0.0;
    for (int64_t iy = 0; iy < sh; iy++)
      for (int64_t ix = 0; ix < sw; ix++) {
        double sum = 0;
        for (int64_t oy = 0; oy < mh; oy++)
          for (int64_t ox = 0; ox < mw; ox++)
            sum += wy[oy * sh + iy] * wx[ox * sw + ix] * ((double)x[(plane * mh + oy) * mw + ox] - s);
        out[(plane * sh + iy) * sw + ix] = (float)sum;
      }
  }
  free(wy);
  free(wx);
}
