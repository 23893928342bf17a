/* Plain float64 reference versions of the moment and product kernels (the ones with
 * AVX2/AVX-512 variants), one beside each fast kernel in its own file. Hidden from the
 * shared library (default visibility is hidden); the C test harness links the object files
 * directly and compares fast against reference under each instruction set. They take the
 * same arguments as the public functions but skip validation and the stream.
 * The interpolation kernels' one reference is the Java float64 one
 * (io.capxai.kernels.ReferenceKernels, itself checked against libtorch); the C harness checks
 * them against PyTorch (native/tests/check_against_torch.py) and their algebra. */
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

void capxai_ref_weighted_sum(const float *x, int64_t n, int64_t c, int64_t hw,
                             const float *shift, const float *w, double *acc);

void capxai_ref_cross_moment(const float *a, const float *shift_a, int64_t ca,
                             const float *b, const float *shift_b, int64_t cb,
                             int64_t n, int64_t hw, double *x);

#endif
