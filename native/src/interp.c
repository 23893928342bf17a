/* Separable resizing with PyTorch's interpolation taps (see interp.h). */
#include "interp.h"

#include "capxai_taps.h"

#include <math.h>
#include <stdlib.h>

int capxai_axis_init(capxai_axis *axis, int64_t in, int64_t out, int32_t mode) {
  axis->in = in;
  axis->out = out;
  axis->taps = mode == CAPXAI_RESIZE_BICUBIC ? 4 : 2;
  axis->index = malloc((size_t)(out * axis->taps) * sizeof *axis->index);
  axis->weight = malloc((size_t)(out * axis->taps) * sizeof *axis->weight);
  if (!axis->index || !axis->weight) {
    capxai_axis_free(axis);
    return -1;
  }
  for (int64_t o = 0; o < out; o++) {
    const capxai_taps taps = capxai_axis_taps(o, in, out, mode);
    for (int64_t t = 0; t < axis->taps; t++) {
      axis->index[o * axis->taps + t] = taps.index[t];
      axis->weight[o * axis->taps + t] = taps.weight[t];
    }
  }
  return 0;
}

void capxai_axis_free(capxai_axis *axis) {
  free(axis->index);
  free(axis->weight);
  axis->index = NULL;
  axis->weight = NULL;
}

void capxai_resize_plane(const float *x, const capxai_axis *rows, const capxai_axis *cols,
                         float shift, float scale, float out_scale, float out_offset,
                         float *tmp, float *out) {
  const int64_t ih = rows->in, oh = rows->out, iw = cols->in, ow = cols->out;
  /* Width pass: tmp[r, o] = sum_t w_t * (x[r, i_t] - shift) * scale. */
  for (int64_t r = 0; r < ih; r++) {
    const float *row = x + r * iw;
    float *dst = tmp + r * ow;
    for (int64_t o = 0; o < ow; o++) {
      const int64_t *index = cols->index + o * cols->taps;
      const float *weight = cols->weight + o * cols->taps;
      float sum = 0;
      for (int64_t t = 0; t < cols->taps; t++) sum += weight[t] * ((row[index[t]] - shift) * scale);
      dst[o] = sum;
    }
  }
  /* Height pass over whole rows (contiguous, vectorisable), then the affine map. */
  for (int64_t o = 0; o < oh; o++) {
    const int64_t *index = rows->index + o * rows->taps;
    const float *weight = rows->weight + o * rows->taps;
    float *dst = out + o * ow;
    for (int64_t c = 0; c < ow; c++) dst[c] = 0;
    for (int64_t t = 0; t < rows->taps; t++) {
      const float *src = tmp + index[t] * ow;
      const float w = weight[t];
      for (int64_t c = 0; c < ow; c++) dst[c] += w * src[c];
    }
    for (int64_t c = 0; c < ow; c++) dst[c] = dst[c] * out_scale + out_offset;
  }
}
