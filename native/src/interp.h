/* Separable resizing of whole planes with precomputed taps (PyTorch's conventions, from
 * native/common/capxai_taps.h, which the CUDA kernels share), used by resize, resize_adjoint
 * and surgery_apply. Internal to the CPU library. */
#ifndef CAPXAI_INTERP_H
#define CAPXAI_INTERP_H

#include "common.h"

/* One axis of a resize from `in` to `out` samples: output sample o is
 * sum over t < taps of weight[o * taps + t] * input[index[o * taps + t]]. */
typedef struct {
  int64_t in, out, taps; /* taps: 2 for bilinear, 4 for bicubic */
  int64_t *index;
  float *weight;
} capxai_axis;

/* Fills `axis` (allocating its arrays); returns 0 on success, -1 when out of memory. */
int capxai_axis_init(capxai_axis *axis, int64_t in, int64_t out, int32_t mode);
void capxai_axis_free(capxai_axis *axis);

/* Scratch floats that capxai_resize_plane needs for one plane. */
static inline int64_t capxai_resize_scratch(const capxai_axis *rows, const capxai_axis *cols) {
  return rows->in * cols->out;
}

/* out[oh, ow] = R((x - shift) * scale) * out_scale + out_offset for one plane x[ih, iw],
 * where R resizes along cols (width) then rows (height). tmp holds capxai_resize_scratch floats. */
void capxai_resize_plane(const float *x, const capxai_axis *rows, const capxai_axis *cols,
                         float shift, float scale, float out_scale, float out_offset,
                         float *tmp, float *out);

#endif
