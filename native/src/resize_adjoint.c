/* resize_adjoint: out = Ut(x - shift), the transpose of bilinear upsampling U from
 * [sh, sw] to [mh, mw] (docs/method.md#matching-in-one-pass). U sends input sample i to output sample o
 * with weight w(o, i), so Ut scatters each large-map value back onto the (at most two
 * per axis) small-map samples it was interpolated from, with the same weights:
 * a width pass into a scratch [mh, sw], then a height pass. */
#include "interp.h"

#include <stdlib.h>
#include <string.h>

/* The width axis of U turned around: for small sample i, the large samples
 * src[start[i] .. start[i + 1]) it feeds, with their weights. Gathering through this
 * list sums each output in a register, instead of scattering += into memory (a chain
 * of dependent loads and stores through neighbouring samples). */
typedef struct {
  int64_t *start, *src;
  float *weight;
} gather_taps;

static int gather_init(gather_taps *g, const capxai_axis *cols) {
  const int64_t small = cols->in, large = cols->out, entries = large * cols->taps;
  g->start = calloc((size_t)(small + 1), sizeof *g->start);
  g->src = malloc((size_t)entries * sizeof *g->src);
  g->weight = malloc((size_t)entries * sizeof *g->weight);
  if (!g->start || !g->src || !g->weight) return -1;
  for (int64_t e = 0; e < entries; e++) g->start[cols->index[e] + 1]++;
  for (int64_t i = 0; i < small; i++) g->start[i + 1] += g->start[i];
  int64_t *next = malloc((size_t)small * sizeof *next);
  if (!next) return -1;
  for (int64_t i = 0; i < small; i++) next[i] = g->start[i];
  for (int64_t e = 0; e < entries; e++) { /* e = o * taps + t, in increasing o */
    const int64_t slot = next[cols->index[e]]++;
    g->src[slot] = e / cols->taps;
    g->weight[slot] = cols->weight[e];
  }
  free(next);
  return 0;
}

static void gather_free(gather_taps *g) {
  free(g->start);
  free(g->src);
  free(g->weight);
}

/* One plane: out[sh, sw] = Ut(x[mh, mw] - shift); tmp holds sh * mw floats. The height
 * pass goes first, over whole rows (vectorisable), so that the width pass only sees
 * the sh rows left, not all mh. */
static void adjoint_plane(const float *x, const capxai_axis *rows, const gather_taps *cols,
                          int64_t mw, int64_t sw, float shift, float *tmp, float *out) {
  const int64_t mh = rows->out, sh = rows->in;
  memset(tmp, 0, (size_t)(sh * mw) * sizeof *tmp);
  for (int64_t o = 0; o < mh; o++) {
    const float *src = x + o * mw;
    for (int64_t t = 0; t < 2; t++) {
      float *dst = tmp + rows->index[2 * o + t] * mw;
      const float w = rows->weight[2 * o + t];
      for (int64_t c = 0; c < mw; c++) dst[c] += w * (src[c] - shift);
    }
  }
  for (int64_t r = 0; r < sh; r++) {
    const float *src = tmp + r * mw;
    for (int64_t i = 0; i < sw; i++) {
      float sum = 0;
      for (int64_t e = cols->start[i]; e < cols->start[i + 1]; e++) sum += cols->weight[e] * src[cols->src[e]];
      out[r * sw + i] = sum;
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
  gather_taps gather = {0};
  const int gather_failed = gather_init(&gather, &cols);
  capxai_axis_free(&cols);
  if (gather_failed) {
    gather_free(&gather);
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
      if (tmp) adjoint_plane(x + plane * mh * mw, &rows, &gather, mw, sw, shift ? shift[plane % c] : 0.f, tmp, out + plane * sh * sw);
    free(tmp);
  }
  capxai_axis_free(&rows);
  gather_free(&gather);
  return failed ? CAPXAI_OUT_OF_MEMORY("a scratch plane") : capxai_ok();
}
