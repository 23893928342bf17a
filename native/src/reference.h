/* Plain float64 reference versions of the kernels, one beside each fast kernel in its
 * own file. Hidden from the shared library (default visibility is hidden); the C test
 * harness links the object files directly and compares fast against reference. They
 * take the same arguments as the public functions but skip validation and the stream. */
#ifndef CAPXAI_REFERENCE_H
#define CAPXAI_REFERENCE_H

#include "common.h"

/* Two-pass textbook mean and M2 of the batch, then a Chan merge into the accumulators.
 * Returns CAPXAI_ERR_NONFINITE (accumulators untouched) if the batch holds NaN or Inf. */
int32_t capxai_ref_moments_update(const float *x, int64_t n, int64_t c, int64_t hw,
                                  double *count, double *mean, double *m2);

void capxai_ref_moments_merge(double *count_a, double *mean_a, double *m2_a,
                              const double *count_b, const double *mean_b, const double *m2_b,
                              int64_t c);

void capxai_ref_resize_adjoint(const float *x, int64_t n, int64_t c, int64_t mh, int64_t mw,
                               const float *shift, float *out, int64_t sh, int64_t sw);

void capxai_ref_resize(const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                       float *out, int64_t oh, int64_t ow, int32_t mode);

void capxai_ref_weighted_sum(const float *x, int64_t n, int64_t c, int64_t hw,
                             const float *shift, const float *w, double *acc);

void capxai_ref_cross_moment(const float *a, const float *shift_a, int64_t ca,
                             const float *b, const float *shift_b, int64_t cb,
                             int64_t n, int64_t hw, double *x);

void capxai_ref_surgery_apply(const float *src, int64_t n, int64_t cs, int64_t sh, int64_t sw,
                              const float *src_mean, const float *src_std,
                              float *dst, int64_t cd, int64_t dh, int64_t dw,
                              const float *dst_mean, const float *dst_std,
                              const int32_t *dst_channel, const int32_t *src_channel,
                              int64_t pairs, int32_t mode, float eps);

#endif
