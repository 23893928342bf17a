// Shared plumbing of the CUDA library: version, device count, per-thread error message.
#include "common.cuh"

#include <cstdarg>
#include <cstdio>

static thread_local char last_error[512];

extern "C" int32_t capxai_abi_version(void) { return CAPXAI_ABI_VERSION; }

extern "C" const char *capxai_last_error(void) { return last_error; }

// Without a driver cudaGetDeviceCount fails (error 35); that means "no device", not an error.
extern "C" int32_t capxai_device_count(void) {
  int count = 0;
  if (cudaGetDeviceCount(&count) != cudaSuccess) {
    cudaGetLastError();  // clear the sticky error
    return 0;
  }
  return count;
}

int32_t capxai_fail(int32_t status, const char *fmt, ...) {
  va_list args;
  va_start(args, fmt);
  vsnprintf(last_error, sizeof last_error, fmt, args);
  va_end(args);
  return status;
}

int32_t capxai_ok(void) {
  last_error[0] = '\0';
  return CAPXAI_OK;
}

int32_t capxai_check_launch(const char *kernel) {
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) {
    return capxai_fail(CAPXAI_ERR_DEVICE, "%s: %s", kernel, cudaGetErrorString(err));
  }
  return capxai_ok();
}
