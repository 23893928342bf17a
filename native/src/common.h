/* Internal helpers shared by the CPU kernels (not part of the public header). */
#ifndef CAPXAI_COMMON_H
#define CAPXAI_COMMON_H

#include "capxai_kernels.h"

#include <stddef.h>

#define CAPXAI_ABI_VERSION 1

/* Records a printf-style message for capxai_last_error() and returns status. */
int32_t capxai_fail(int32_t status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clears the message and returns CAPXAI_OK. */
int32_t capxai_ok(void);

/* Fails with CAPXAI_ERR_INVALID and a message prefixed by the calling function's name. */
#define CAPXAI_REQUIRE(cond, fmt, ...) \
  do { if (!(cond)) return capxai_fail(CAPXAI_ERR_INVALID, "%s: " fmt, __func__, ##__VA_ARGS__); } while (0)

#define CAPXAI_REQUIRE_PTR(p) CAPXAI_REQUIRE((p) != NULL, "%s must not be NULL", #p)

#define CAPXAI_REQUIRE_POSITIVE(v) \
  CAPXAI_REQUIRE((v) > 0, "%s must be positive, got %lld", #v, (long long)(v))

/* Out of host memory: reported as CAPXAI_ERR_DEVICE, as the header says. */
#define CAPXAI_OUT_OF_MEMORY(what) \
  capxai_fail(CAPXAI_ERR_DEVICE, "%s: out of memory allocating %s", __func__, what)

/* a * b * c * d, or -1 when the product of these non-negative sizes does not fit
 * in 2^62 (so that byte counts of float64 arrays still fit in int64). */
static inline int64_t capxai_elements(int64_t a, int64_t b, int64_t c, int64_t d) {
  int64_t ab, abc, abcd;
  if (__builtin_mul_overflow(a, b, &ab) || __builtin_mul_overflow(ab, c, &abc) ||
      __builtin_mul_overflow(abc, d, &abcd) || abcd > ((int64_t)1 << 62))
    return -1;
  return abcd;
}

#define CAPXAI_REQUIRE_SIZE(what, a, b, c, d)                                               \
  CAPXAI_REQUIRE(capxai_elements((a), (b), (c), (d)) >= 0, "%s has too many elements (%s)", \
                 what, #a " x " #b " x " #c " x " #d)

#endif
