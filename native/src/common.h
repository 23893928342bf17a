/* Internal helpers shared by the CPU kernels (not part of the public header). */
#ifndef CAPXAI_COMMON_H
#define CAPXAI_COMMON_H

#include "capxai_require.h"

#include <stddef.h>

/* Out of host memory: reported as CAPXAI_ERR_DEVICE, as the header says. */
#define CAPXAI_OUT_OF_MEMORY(what) \
  capxai_fail(CAPXAI_ERR_DEVICE, "%s: out of memory allocating %s", __func__, what)

#endif
