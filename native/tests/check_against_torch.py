"""Checks libcapxai_cpu against PyTorch itself (the conventions the header promises):
resize == F.interpolate (bilinear / bicubic, align_corners=False), resize_adjoint ==
the autograd transpose of bilinear upsampling, surgery_apply == standardise +
interpolate + affine, and moments / weighted_sum / cross_moment == float64 numpy.
Usage: /usr/bin/python3 check_against_torch.py path/to/libcapxai_cpu.so
Exits 77 (CTest: skipped) when torch or numpy is missing, except under CI=true (then 1:
the reference must be produced there); 1 on any failure."""
import ctypes
import os
import sys

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"skipped: {e} (apt-get install python3-torch)")
    sys.exit(1 if os.environ.get("CI") == "true" else 77)

lib = ctypes.CDLL(sys.argv[1])
lib.capxai_last_error.restype = ctypes.c_char_p
I64, I32, F32 = ctypes.c_int64, ctypes.c_int32, ctypes.c_float
rng = np.random.default_rng(7)
failures = 0


def ptr(a):
    return a.ctypes.data_as(ctypes.c_void_p)


def call(name, *args):
    status = getattr(lib, "capxai_" + name)(*args)
    if status != 0:
        raise RuntimeError(f"{name}: status {status}: {lib.capxai_last_error().decode()}")


def check(what, got, want, tol):
    global failures
    got, want = np.asarray(got, np.float64), np.asarray(want, np.float64)
    err = np.max(np.abs(got - want)) / max(np.max(np.abs(want)), 1e-300)
    ok = err <= tol
    failures += not ok
    print(f"{'ok' if ok else 'FAIL':4} {what:<48} max rel err {err:.2e} (tol {tol:.0e})")


def randn(*shape, mean=0.0, std=1.0):
    return (mean + std * rng.standard_normal(shape)).astype(np.float32)


MODES = {0: "bilinear", 1: "bicubic"}

for mode, name in MODES.items():
    for (ih, iw), (oh, ow) in [((7, 7), (112, 112)), ((112, 112), (7, 7)), ((14, 14), (28, 28)),
                               ((28, 28), (14, 14)), ((1, 1), (5, 5)), ((5, 5), (1, 1)),
                               ((3, 8), (7, 2)), ((56, 56), (7, 7)), ((9, 9), (9, 9))]:
        x = randn(2, 3, ih, iw)
        out = np.empty((2, 3, oh, ow), np.float32)
        call("resize", ptr(x), I64(2), I64(3), I64(ih), I64(iw), ptr(out), I64(oh), I64(ow), I32(mode), None)
        want = F.interpolate(torch.from_numpy(x), size=(oh, ow), mode=name, align_corners=False)
        check(f"resize {name} {ih}x{iw}->{oh}x{ow}", out, want.numpy(), 1e-6)

for (sh, sw), (mh, mw) in [((7, 7), (112, 112)), ((14, 14), (56, 56)), ((7, 7), (28, 28)),
                           ((1, 1), (7, 7)), ((3, 5), (9, 11)), ((28, 28), (28, 28))]:
    y = randn(2, 3, mh, mw, mean=5)
    shift = randn(3, mean=5)
    out = np.empty((2, 3, sh, sw), np.float32)
    call("resize_adjoint", ptr(y), I64(2), I64(3), I64(mh), I64(mw), ptr(shift), ptr(out), I64(sh), I64(sw), None)
    x = torch.zeros(2, 3, sh, sw, dtype=torch.float64, requires_grad=True)
    up = F.interpolate(x, size=(mh, mw), mode="bilinear", align_corners=False)
    (up * (torch.from_numpy(y).double() - torch.from_numpy(shift).double().view(1, 3, 1, 1))).sum().backward()
    check(f"resize_adjoint {sh}x{sw}<-{mh}x{mw} == autograd", out, x.grad.numpy(), 2e-6)

for mode, name in MODES.items():
    for (sh, sw), (dh, dw) in [((7, 7), (56, 56)), ((112, 112), (7, 7)), ((14, 14), (14, 14))]:
        n, cs, cd = 3, 6, 4
        src = randn(n, cs, sh, sw, mean=100)
        src_mean, src_std = randn(cs, mean=100, std=0.1), np.abs(randn(cs, mean=1, std=0.1))
        dst_mean, dst_std = randn(cd), np.abs(randn(cd, mean=2))
        dst = randn(n, cd, dh, dw)
        want = torch.from_numpy(dst.copy())
        dst_ch, src_ch = np.array([3, 0, 1], np.int32), np.array([5, 5, 2], np.int32)
        call("surgery_apply", ptr(src), I64(n), I64(cs), I64(sh), I64(sw), ptr(src_mean), ptr(src_std),
             ptr(dst), I64(cd), I64(dh), I64(dw), ptr(dst_mean), ptr(dst_std), ptr(dst_ch), ptr(src_ch),
             I64(3), I32(mode), F32(1e-5), None)
        for j, k in zip(dst_ch, src_ch):
            z = (torch.from_numpy(src[:, k:k + 1]) - float(src_mean[k])) / (float(src_std[k]) + 1e-5)
            want[:, j:j + 1] = F.interpolate(z, size=(dh, dw), mode=name, align_corners=False) * float(dst_std[j]) + float(dst_mean[j])
        check(f"surgery_apply {name} {sh}x{sw}->{dh}x{dw}", dst, want.numpy(), 2e-5)

x1, x2 = randn(3, 5, 49, mean=1e4), randn(2, 5, 49, mean=1e4)
count, mean, m2 = np.zeros(5), np.zeros(5), np.zeros(5)
for x in (x1, x2):
    call("moments_update", ptr(x), I64(x.shape[0]), I64(5), I64(49), ptr(count), ptr(mean), ptr(m2), None)
both = np.concatenate([x1, x2]).astype(np.float64).transpose(1, 0, 2).reshape(5, -1)
check("moments mean (mean 1e4, std 1)", mean, both.mean(1), 1e-14)
check("moments variance (mean 1e4, std 1)", m2 / count, both.var(1), 1e-10)

x, w, shift = randn(3, 7, 196), randn(196), randn(7)
acc = np.zeros(7)
call("weighted_sum", ptr(x), I64(3), I64(7), I64(196), ptr(shift), ptr(w), ptr(acc), None)
check("weighted_sum", acc, np.einsum("ikq,q->k", x.astype(np.float64) - shift[None, :, None], w), 1e-12)

a, b = randn(3, 37, 300, mean=50), randn(3, 45, 300, mean=-50)
sa, sb = randn(37, mean=50), randn(45, mean=-50)
xm = np.zeros((37, 45))
call("cross_moment", ptr(a), ptr(sa), I64(37), ptr(b), ptr(sb), I64(45), I64(3), I64(300), ptr(xm), None)
check("cross_moment", xm, np.einsum("tip,tjp->ij", a.astype(np.float64) - sa[None, :, None],
                                    b.astype(np.float64) - sb[None, :, None]), 1e-5)

print(f"{'FAILED' if failures else 'PASSED'}: {failures} failure(s)")
sys.exit(1 if failures else 0)
