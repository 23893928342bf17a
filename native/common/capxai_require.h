/* Error reporting and argument checks shared by the CPU library (native/src/common.h) and the
 * CUDA library (cuda-kernels/common.cuh): each library implements capxai_fail and capxai_ok
 * over its own per-thread message buffer. Plain C and C++. */
#ifndef CAPXAI_REQUIRE_H
#define CAPXAI_REQUIRE_H

#include <stdint.h>

#include "capxai_kernels.h"

#define CAPXAI_ABI_VERSION 1

/* Records a printf-style message for capxai_last_error() and returns status. */
int32_t capxai_fail(int32_t status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clears the message and returns CAPXAI_OK. */
int32_t capxai_ok(void);

/* a * b * c * d, or -1 when the product of these non-negative sizes does not fit
 * in 2^62 (so that byte counts of float64 arrays still fit in int64). */
static inline int64_t capxai_elements(int64_t a, int64_t b, int64_t c, int64_t d) {
  int64_t ab, abc, abcd;
  if (__builtin_mul_overflow(a, b, &ab) || __builtin_mul_overflow(ab, c, &abc) ||
      __builtin_mul_overflow(abc, d, &abcd) || abcd > ((int64_t)1 << 62))
    return -1;
  return abcd;
}

/* Fails with CAPXAI_ERR_INVALID and a message prefixed by the calling function's name. */
#define CAPXAI_REQUIRE(cond, fmt, ...) \
  do { if (!(cond)) return capxai_fail(CAPXAI_ERR_INVALID, "%s: " fmt, __func__, ##__VA_ARGS__); } while (0)

#define CAPXAI_REQUIRE_PTR(p) CAPXAI_REQUIRE((p) != NULL, "%s must not be NULL", #p)

#define CAPXAI_REQUIRE_POSITIVE(v) \
  CAPXAI_REQUIRE((v) > 0, "%s must be positive, got %lld", #v, (long long)(v))

#define CAPXAI_REQUIRE_SIZE(what, a, b, c, d)                                               \
  CAPXAI_REQUIRE(capxai_elements((a), (b), (c), (d)) >= 0, "%s has too many elements (%s)", \
                 what, #a " x " #b " x " #c " x " #d)

#endif
