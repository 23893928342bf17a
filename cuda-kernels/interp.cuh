// Interpolation taps with PyTorch's conventions (align_corners = false, no antialias),
// shared by resize, resize_adjoint and surgery_apply. __host__ __device__ so that the
// GPU check harness can run the same index maths on the CPU.
#pragma once

#include <cmath>
#include <cstdint>

#include "capxai_kernels.h"

// One output sample along one axis: sum over t < count of weight[t] * input[index[t]].
struct AxisTaps {
  int count;  // 2 for bilinear, 4 for bicubic
  int64_t index[4];
  float weight[4];
};

// PyTorch's cubic convolution kernels (Keys, A = -0.75) for |x| <= 1 and 1 < |x| < 2.
__host__ __device__ inline float capxai_cubic1(float x) {
  const float A = -0.75f;
  return ((A + 2) * x - (A + 3)) * x * x + 1;
}
__host__ __device__ inline float capxai_cubic2(float x) {
  const float A = -0.75f;
  return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
}

// Taps of output sample o when resizing `in` samples to `out`. Like PyTorch for float
// tensors, the source position is computed in float32 with scale = in / out.
__host__ __device__ inline AxisTaps capxai_axis_taps(int64_t o, int64_t in, int64_t out, int32_t mode) {
  AxisTaps taps;
  const float scale = static_cast<float>(in) / static_cast<float>(out);
  float src = scale * (static_cast<float>(o) + 0.5f) - 0.5f;
  if (mode == CAPXAI_RESIZE_BILINEAR) {
    if (src < 0) src = 0;  // bilinear clamps negative source positions, bicubic does not
    int64_t i0 = static_cast<int64_t>(src);
    if (i0 > in - 1) i0 = in - 1;
    const float lambda = src - static_cast<float>(i0);
    taps.count = 2;
    taps.index[0] = i0;
    taps.index[1] = i0 < in - 1 ? i0 + 1 : i0;
    taps.weight[0] = 1.f - lambda;
    taps.weight[1] = lambda;
  } else {
    const float floor_src = floorf(src);
    const int64_t i0 = static_cast<int64_t>(floor_src);
    const float t = src - floor_src;
    taps.count = 4;
    taps.weight[0] = capxai_cubic2(t + 1.f);
    taps.weight[1] = capxai_cubic1(t);
    taps.weight[2] = capxai_cubic1(1.f - t);
    taps.weight[3] = capxai_cubic2(2.f - t);
    for (int k = 0; k < 4; k++) {  // border taps repeat the edge sample
      int64_t i = i0 - 1 + k;
      taps.index[k] = i < 0 ? 0 : (i > in - 1 ? in - 1 : i);
    }
  }
  return taps;
}

// Resized value at (row, col) of one plane (ih x iw, row-major) after the affine map
// v -> (v - shift) * scale of every input sample: the width pass per input row, then the
// height pass, the order PyTorch's CUDA kernels use.
__host__ __device__ inline float capxai_resize_at(const float *plane, int64_t ih, int64_t iw,
                                                  int64_t oh, int64_t ow, int64_t row, int64_t col,
                                                  int32_t mode, float shift, float scale) {
  const AxisTaps r = capxai_axis_taps(row, ih, oh, mode);
  const AxisTaps c = capxai_axis_taps(col, iw, ow, mode);
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
  const AxisTaps taps = capxai_axis_taps(o, in, out, CAPXAI_RESIZE_BILINEAR);
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
