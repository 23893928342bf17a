/*
 * capxai_kernels.h - the one contract between the Java engine and its kernels.
 *
 * Implemented twice with identical symbols:
 *   native/        -> libcapxai_cpu.so   (host pointers, multithreaded C; `stream` is ignored)
 *   cuda-kernels/  -> libcapxai_cuda.so  (device pointers, work queued on `stream`,
 *                                         a cudaStream_t; NULL means the default stream)
 *
 * Maths: docs/method.md#matching-in-one-pass. Tensors are dense, row-major, NCHW float32
 * unless stated; "plane" means one H x W map of one channel of one image.
 *
 * Every function validates what it can and returns CAPXAI_OK or an error status;
 * capxai_last_error() then returns a message for the calling thread. The Java
 * side validates shapes, dtypes and devices *before* calling, so a status other
 * than OK is a defect or a non-finite input, never a crash.
 *
 * Non-finite policy: capxai_moments_update rejects a batch that holds NaN or Inf
 * (status CAPXAI_ERR_NONFINITE, message names the first such channel) and leaves
 * the accumulators untouched. The other kernels propagate NaN/Inf like IEEE
 * arithmetic; the engine always runs moments on a batch before the rest.
 */
#ifndef CAPXAI_KERNELS_H
#define CAPXAI_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Only the functions below are exported from the shared libraries. */
#if defined(CAPXAI_BUILD)
#define CAPXAI_API __attribute__((visibility("default")))
#else
#define CAPXAI_API
#endif

#define CAPXAI_OK 0
#define CAPXAI_ERR_INVALID 1   /* a bad argument: null pointer, non-positive size */
#define CAPXAI_ERR_NONFINITE 2 /* NaN or Inf in the input */
#define CAPXAI_ERR_DEVICE 3    /* no device, a CUDA error, or out of memory */

#define CAPXAI_RESIZE_BILINEAR 0 /* align_corners = false, as torch.nn.functional.interpolate */
#define CAPXAI_RESIZE_BICUBIC 1  /* align_corners = false, A = -0.75, borders clamped, as PyTorch */

/* Kernel ABI version; bumped whenever a signature below changes. */
CAPXAI_API int32_t capxai_abi_version(void);

/* Message of the last failed call on this thread ("" if none). Never NULL. */
CAPXAI_API const char *capxai_last_error(void);

/* Number of devices this library can run on: 1 for the CPU library; the CUDA
 * device count for the CUDA library (0 without a driver or GPU, never an error). */
CAPXAI_API int32_t capxai_device_count(void);

/*
 * moments: streaming per-channel statistics (Chan et al. merge, float64).
 * x [n, c, hw] float32. For each channel k, the n*hw values of this batch are
 * merged into count[k], mean[k], m2[k] (float64 arrays of length c; m2 is the
 * sum of squared deviations from the mean). Accumulators start at zero.
 */
CAPXAI_API int32_t capxai_moments_update(const float *x, int64_t n, int64_t c, int64_t hw,
                              double *count, double *mean, double *m2, void *stream);

/* Merges accumulator set b into set a (same c), as if a's and b's data had been
 * seen in one pass. b is left unchanged. */
CAPXAI_API int32_t capxai_moments_merge(double *count_a, double *mean_a, double *m2_a,
                             const double *count_b, const double *mean_b, const double *m2_b,
                             int64_t c, void *stream);

/*
 * resize_adjoint: out = Ut(x - shift), the adjoint (transpose) of bilinear
 * upsampling U from [sh, sw] to [mh, mw] (align_corners = false), applied to
 * every plane of x [n, c, mh, mw] after subtracting shift[k] from channel k
 * (shift may be NULL: no shift). out [n, c, sh, sw]. Needs sh <= mh, sw <= mw.
 * With x = 1 and no shift this gives the weight map w = Ut(1).
 */
CAPXAI_API int32_t capxai_resize_adjoint(const float *x, int64_t n, int64_t c, int64_t mh, int64_t mw,
                              const float *shift, float *out, int64_t sh, int64_t sw,
                              void *stream);

/*
 * resize: out = R(x), x [n, c, ih, iw] -> out [n, c, oh, ow], bilinear or bicubic
 * (mode), align_corners = false, no antialiasing: the same numbers as
 * torch.nn.functional.interpolate, for up- and downsampling.
 */
CAPXAI_API int32_t capxai_resize(const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                      float *out, int64_t oh, int64_t ow, int32_t mode, void *stream);

/*
 * weighted_sum: acc[k] += sum over images i and positions q of
 * (x[i, k, q] - shift[k]) * w[q].  x [n, c, hw], w [hw] float32 (NULL: w = 1),
 * shift [c] float32 (NULL: none), acc [c] float64. This is S_a of docs/method.md#matching-in-one-pass.
 */
CAPXAI_API int32_t capxai_weighted_sum(const float *x, int64_t n, int64_t c, int64_t hw,
                            const float *shift, const float *w, double *acc, void *stream);

/*
 * cross_moment: X[i, j] += sum over images t and positions p of
 *               (a[t, i, p] - shift_a[i]) * (b[t, j, p] - shift_b[j])
 * a [n, ca, hw] and b [n, cb, hw] float32 at the same (low) resolution, X [ca, cb]
 * float64, row-major, accumulated into. shift_a and shift_b may be NULL (no
 * shift); b is typically the output of resize_adjoint, already shifted there.
 * Precision: products are summed in float32 over blocks of at most 256
 * positions, and each block's partial sum is added into float64 X. Shifting by
 * a per-channel estimate of the mean keeps the float32 terms O(std), so large
 * means do not cancel; float64 across blocks and batches keeps the error from
 * growing with the number of images. Full float64 FMA would halve the speed.
 */
CAPXAI_API int32_t capxai_cross_moment(const float *a, const float *shift_a, int64_t ca,
                            const float *b, const float *shift_b, int64_t cb,
                            int64_t n, int64_t hw,
                            double *x, void *stream);

/*
 * surgery_apply: for every pair q < pairs, with j = dst_channel[q], k = src_channel[q]:
 *   dst[t, j] = R((src[t, k] - src_mean[k]) / (src_std[k] + eps)) * dst_std[j] + dst_mean[j]
 * for every image t; R resizes [sh, sw] -> [dh, dw] (mode as in capxai_resize; the
 * identity when sizes match). src [n, cs, sh, sw], dst [n, cd, dh, dw] written in
 * place; channels of dst not named in dst_channel are left as they are. Gather,
 * standardise, resize and affine happen in one pass over the output.
 */
CAPXAI_API int32_t capxai_surgery_apply(const float *src, int64_t n, int64_t cs, int64_t sh, int64_t sw,
                             const float *src_mean, const float *src_std,
                             float *dst, int64_t cd, int64_t dh, int64_t dw,
                             const float *dst_mean, const float *dst_std,
                             const int32_t *dst_channel, const int32_t *src_channel, int64_t pairs,
                             int32_t mode, float eps, void *stream);

#ifdef __cplusplus
}
#endif

#endif /* CAPXAI_KERNELS_H */
