/* Interpolation taps with PyTorch's conventions (align_corners = false, no antialias): the one
 * source of them for the CPU library (native/src/interp.c) and the CUDA kernels
 * (cuda-kernels/interp.cuh). Plain C, and __host__ __device__ under nvcc. */
#ifndef CAPXAI_TAPS_H
#define CAPXAI_TAPS_H

#include <math.h>
#include <stdint.h>

#include "capxai_kernels.h"

#ifdef __CUDACC__
#define CAPXAI_HOST_DEVICE __host__ __device__
#else
#define CAPXAI_HOST_DEVICE
#endif

/* One output sample along one axis: sum over t < count of weight[t] * input[index[t]]. */
typedef struct {
  int count; /* 2 for bilinear, 4 for bicubic */
  int64_t index[4];
  float weight[4];
} capxai_taps;

/* PyTorch's cubic convolution kernels (Keys, A = -0.75) for |x| <= 1 and 1 < |x| < 2. */
CAPXAI_HOST_DEVICE static inline float capxai_cubic1(float x) {
  const float a = -0.75f;
  return ((a + 2) * x - (a + 3)) * x * x + 1;
}
CAPXAI_HOST_DEVICE static inline float capxai_cubic2(float x) {
  const float a = -0.75f;
  return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
}

/* Taps of output sample o when resizing `in` samples to `out`. Like PyTorch for float
 * tensors, the source position is computed in float32 with scale = in / out. */
CAPXAI_HOST_DEVICE static inline capxai_taps capxai_axis_taps(int64_t o, int64_t in, int64_t out, int32_t mode) {
  capxai_taps taps;
  const float scale = (float)in / (float)out;
  float src = scale * ((float)o + 0.5f) - 0.5f;
  if (mode == CAPXAI_RESIZE_BILINEAR) {
    if (src < 0) src = 0; /* bilinear clamps negative source positions, bicubic does not */
    int64_t i0 = (int64_t)floorf(src);
    if (i0 > in - 1) i0 = in - 1;
    const float lambda = fminf(fmaxf(src - (float)i0, 0.f), 1.f);
    taps.count = 2;
    taps.index[0] = i0;
    taps.index[1] = i0 < in - 1 ? i0 + 1 : i0;
    taps.weight[0] = 1.f - lambda;
    taps.weight[1] = lambda;
  } else {
    int64_t i0 = (int64_t)floorf(src);
    if (i0 > in - 1) i0 = in - 1;
    const float t = fminf(fmaxf(src - (float)i0, 0.f), 1.f);
    taps.count = 4;
    taps.weight[0] = capxai_cubic2(t + 1.f);
    taps.weight[1] = capxai_cubic1(t);
    taps.weight[2] = capxai_cubic1(1.f - t);
    taps.weight[3] = capxai_cubic2(2.f - t);
    for (int k = 0; k < 4; k++) { /* border taps repeat the edge sample */
      const int64_t i = i0 - 1 + k;
      taps.index[k] = i < 0 ? 0 : (i > in - 1 ? in - 1 : i);
    }
  }
  return taps;
}

#endif
