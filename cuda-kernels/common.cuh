// Internal helpers shared by the CUDA kernels (not part of the public header).
#pragma once

#include <cuda_runtime.h>

#include "capxai_kernels.h"

#define CAPXAI_ABI_VERSION 1

// Records a printf-style message for capxai_last_error() and returns status.
int32_t capxai_fail(int32_t status, const char *fmt, ...);

// Clears the message and returns CAPXAI_OK.
int32_t capxai_ok(void);

// Turns the last launch's CUDA error (if any) into a status with a message.
int32_t capxai_check_launch(const char *kernel);

#define CAPXAI_REQUIRE(cond, ...) \
  do { if (!(cond)) return capxai_fail(CAPXAI_ERR_INVALID, __VA_ARGS__); } while (0)

static inline cudaStream_t as_stream(void *stream) { return static_cast<cudaStream_t>(stream); }
