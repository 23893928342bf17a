/* Shared plumbing of the CPU library: version, device count, per-thread error message. */
#include "common.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local char last_error[512];

int32_t capxai_abi_version(void) { return CAPXAI_ABI_VERSION; }

const char *capxai_last_error(void) { return last_error; }

int32_t capxai_device_count(void) { return 1; }

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
