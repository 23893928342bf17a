// Shared plumbing of the CUDA library: version, device count, per-thread error message,
// argument checks.
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

int32_t capxai_cuda_status(cudaError_t err, const char *caller, const char *what) {
  if (err == cudaSuccess) return CAPXAI_OK;
  cudaGetLastError();  // clear a non-sticky error so that later calls start clean
  return capxai_fail(CAPXAI_ERR_DEVICE, "%s: %s failed: %s (CUDA error %d)", caller, what,
                     cudaGetErrorString(err), static_cast<int>(err));
}

int32_t capxai_check_device_pointer(const void *p, const char *caller, const char *name) {
  cudaPointerAttributes attributes;
  cudaError_t err = cudaPointerGetAttributes(&attributes, p);
  if (err != cudaSuccess) {
    cudaGetLastError();
    return capxai_fail(CAPXAI_ERR_DEVICE, "%s: cannot inspect %s, no usable CUDA device: %s (CUDA error %d)",
                       caller, name, cudaGetErrorString(err), static_cast<int>(err));
  }
  switch (attributes.type) {
    case cudaMemoryTypeDevice: {  // memory of another GPU would fault without peer access
      int current = 0;
      if (cudaGetDevice(&current) == cudaSuccess && attributes.device != current)
        return capxai_fail(CAPXAI_ERR_INVALID, "%s: %s is memory of CUDA device %d, but the current device is %d",
                           caller, name, attributes.device, current);
      return CAPXAI_OK;
    }
    case cudaMemoryTypeManaged:
      return CAPXAI_OK;
    case cudaMemoryTypeHost:  // pinned host memory is readable only where it is mapped at p
      if (attributes.devicePointer == p) return CAPXAI_OK;
      break;
    default:
      break;
  }
  return capxai_fail(CAPXAI_ERR_INVALID, "%s: %s = %p is host memory, not a CUDA device pointer", caller, name, p);
}

int32_t capxai_sm_count(int64_t *sms) {
  int device = 0, count = 0;
  CAPXAI_CUDA_TRY(cudaGetDevice(&device), "finding the current device");
  CAPXAI_CUDA_TRY(cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, device), "reading the SM count");
  *sms = count;
  return CAPXAI_OK;
}
