/* Internal helpers shared by the CPU kernels (not part of the public header). */
#ifndef CAPXAI_COMMON_H
#define CAPXAI_COMMON_H

#include "capxai_kernels.h"

#define CAPXAI_ABI_VERSION 1

/* Records a printf-style message for capxai_last_error() and returns status. */
int32_t capxai_fail(int32_t status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Clears the message and returns CAPXAI_OK. */
int32_t capxai_ok(void);

#define CAPXAI_REQUIRE(cond, ...) \
  do { if (!(cond)) return capxai_fail(CAPXAI_ERR_INVALID, __VA_ARGS__); } while (0)

#endif
