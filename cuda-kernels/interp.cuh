// Evaluation of the interpolation taps (native/common/capxai_taps.h, shared with the CPU
// library) one output sample at a time, as the CUDA kernels resize, adjoin and transplant.
// __host__ __device__ so that the GPU check harness can run the same index maths on the CPU.
#pragma once

#include "capxai_taps.h"

// Resized value at (row, col) of one plane (ih x iw, row-major) after the affine map
// v -> (v - shift) * scale of every input sample: the width pass per input row, then the
// height pass, the order PyTorch's CUDA kernels use.
__host__ __device__ inline float capxai_resize_at(const float *plane, int64_t ih, int64_t iw,
                                                  int64_t oh, int64_t ow, int64_t row, int64_t col,
                                                  int32_t mode, float shift, float scale) {
  const capxai_taps r = capxai_axis_taps(row, ih, oh, mode);
  const capxai_taps c = capxai_axis_taps(col, iw, ow, mode);
  float sum = 0.f;
  for (int i = 0; i < r.count; i++) {
    const float *line = plane + r.index[i] * iw;
    float across = 0.f;
    for (int j = 0; j < c.count; j++) across += c.weight[j] * ((line[c.index[j]] - shift) * scale);
    sum += r.weight[i] * across;
  }
  return sum;
}

// Weight with which input sample i feeds output sample o (0 if it does not).
__host__ __device__ inline float capxai_tap_weight(int64_t o, int64_t i, int64_t in, int64_t out) {
  const capxai_taps taps = capxai_axis_taps(o, in, out, CAPXAI_RESIZE_BILINEAR);
  float w = 0.f;
  for (int t = 0; t < taps.count; t++)
    if (taps.index[t] == i) w += taps.weight[t];  // at the border both taps hit one sample
  return w;
}

// The outputs o of bilinear upsampling in -> out (in <= out) that read input sample i:
// those whose first tap is i - 1 or i, a contiguous range. Bounds are widened by 2 to be
// safe against float rounding; the exact weights (0 outside) decide.
__host__ __device__ inline void capxai_adjoint_range(int64_t i, int64_t in, int64_t out,
                                                     int64_t *first, int64_t *last) {
  const double ratio = static_cast<double>(out) / static_cast<double>(in);
  int64_t lo = static_cast<int64_t>(floor((static_cast<double>(i) - 0.5) * ratio - 0.5)) - 2;
  int64_t hi = static_cast<int64_t>(ceil((static_cast<double>(i) + 1.5) * ratio - 0.5)) + 2;
  *first = lo < 0 ? 0 : lo;
  *last = hi > out - 1 ? out - 1 : hi;
}

// One output of the adjoint of bilinear upsampling [sh, sw] -> [mh, mw]: the sum over the
// high-resolution samples (r, c) that (row, col) feeds of weight * (x[r, c] - shift).
__host__ __device__ inline float capxai_adjoint_at(const float *plane, int64_t mh, int64_t mw,
                                                   int64_t sh, int64_t sw, int64_t row, int64_t col,
                                                   float shift) {
  int64_t r0, r1, c0, c1;
  capxai_adjoint_range(row, sh, mh, &r0, &r1);
  capxai_adjoint_range(col, sw, mw, &c0, &c1);
  float sum = 0.f;
  for (int64_t r = r0; r <= r1; r++) {
    const float wr = capxai_tap_weight(r, row, sh, mh);
    if (wr == 0.f) continue;
    const float *line = plane + r * mw;
    float across = 0.f;
    for (int64_t c = c0; c <= c1; c++) {
      const float wc = capxai_tap_weight(c, col, sw, mw);
      if (wc != 0.f) across += wc * (line[c] - shift);
    }
    sum += wr * across;
  }
  return sum;
}
