#!/bin/sh
# The CPU library must export exactly the functions of capxai_kernels.h: the float64
# references and helpers stay hidden. Usage: check_exports.sh HEADER LIBRARY
set -eu
header=$1 lib=$2
want=$(grep '^CAPXAI_API' "$header" | grep -o 'capxai_[a-z_0-9]*(' | tr -d '(' | sort)
got=$(nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "i" { print $3 }' | sort)
if [ "$want" = "$got" ]; then
  echo "ok: $(echo "$got" | wc -l) exported functions, all from the header"
else
  echo "FAIL: exports differ from the header"
  echo "$want" > /tmp/capxai_exports_want.$$; echo "$got" > /tmp/capxai_exports_got.$$
  diff /tmp/capxai_exports_want.$$ /tmp/capxai_exports_got.$$ || true
  rm -f /tmp/capxai_exports_want.$$ /tmp/capxai_exports_got.$$
  exit 1
fi
