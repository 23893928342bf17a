package io.capxai.tensors;

import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs libtorch's CPU convolutions, forward then backward, on the shapes the engine uses, in a child
 * process started by {@link OneDnn}.
 *
 * <p>Some hosts crash libtorch's oneDNN (SIGFPE in its blocking heuristics, when it sizes work from a
 * cache geometry the host reports oddly); a native crash kills the JVM and cannot be caught, so the
 * parent asks a child to try first. The child prints one line per finished stage: {@code forward ok}
 * after every forward convolution ran, {@code backward ok} after every backward. A child that dies
 * between two lines tells the parent which stage is unsafe.
 *
 * <p>A stage must also compute the right numbers: each result is compared with libtorch's own
 * convolutions (oneDNN off). On one such host, training with oneDNN's backward passes ran without a
 * crash for a while and then produced NaN; a wrong stage prints {@code wrong values in STAGE ...}
 * and exits, and counts as unsafe like a crash.
 */
public final class ConvolutionProbe {
    /** Printed after each stage; the parent reads these lines. */
    static final String FORWARD_OK = "forward ok";
    static final String BACKWARD_OK = "backward ok";
    /** Set in the child's environment: die on purpose in this stage, {@code forward} or {@code backward} (tests). */
    static final String DIE_IN = "CAPXAI_PROBE_DIE_IN";
    /** Printed, followed by the stage, when oneDNN's results differ from the reference. */
    static final String WRONG = "wrong values in";
    /** Set in the child's environment: treat oneDNN's results as off by 50 % in this stage (tests). */
    static final String WRONG_IN = "CAPXAI_PROBE_WRONG_IN";
    /** Largest relative difference from the reference accepted (float32 convolutions by other algorithms differ by ~1e-6). */
    static final double TOLERANCE = 1e-3;

    /** One convolution: batch, channels in/out, kernel, stride, spatial size. */
    record Shape(int batch, int in, int out, int kernel, int stride, int size) {
        @Override
        public String toString() {
            return "mb" + batch + "_ic" + in + "oc" + out + "_k" + kernel + "s" + stride + "_ih" + size;
        }
    }

    private ConvolutionProbe() {}

    /**
     * ResNet-style convolutions (1x1 bottleneck and projection, 3x3, the 7x7 stem) at the spatial
     * sizes of 28-224 px inputs after each stage, at the batch sizes the engine trains and audits with.
     */
    static List<Shape> shapes() {
        List<Shape> shapes = new ArrayList<>();
        for (int batch : new int[] {1, 16, 64}) {
            for (int size : new int[] {1, 2, 4, 7}) {
                shapes.add(new Shape(batch, 2048, 512, 1, 1, size));
                shapes.add(new Shape(batch, 512, 2048, 1, 1, size));
                shapes.add(new Shape(batch, 1024, 2048, 1, 2, size * 2));
                shapes.add(new Shape(batch, 1024, 256, 1, 1, size));
                shapes.add(new Shape(batch, 512, 512, 3, 1, size));
                shapes.add(new Shape(batch, 256, 256, 3, 2, size * 2));
                shapes.add(new Shape(batch, 64, 64, 3, 1, size * 4));
            }
            shapes.add(new Shape(batch, 3, 64, 7, 2, 64));
        }
        return shapes;
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        Libtorch.configure(); // the parent sets capxai.onednn=on: no probe inside the probe
        String dieIn = System.getenv(DIE_IN);
        String wrongIn = System.getenv(WRONG_IN);
        List<Shape> shapes = shapes();
        List<Tensor[]> saved = new ArrayList<>();
        for (Shape s : shapes) {
            Tensor x = torch.randn(s.batch(), s.in(), s.size(), s.size()).set_requires_grad(true);
            Tensor w = torch.randn(s.out(), s.in(), s.kernel(), s.kernel()).mul_(new Scalar(0.01))
                    .set_requires_grad(true);
            saved.add(new Tensor[] {x, w, convolve(s, x, w)});
        }
        if ("forward".equals(dieIn)) {
            Runtime.getRuntime().halt(136); // exit status of a process killed by SIGFPE
        }
        for (int i = 0; i < shapes.size(); i++) {
            Shape shape = shapes.get(i);
            Tensor[] xwy = saved.get(i);
            Tensor reference = withoutOneDnn(() -> convolve(shape, xwy[0].detach(), xwy[1].detach()));
            check(out, "forward", shape, distort(xwy[2].detach(), "forward".equals(wrongIn)), reference);
        }
        out.println(FORWARD_OK);
        out.flush();
        if ("backward".equals(dieIn)) {
            Runtime.getRuntime().halt(136);
        }
        for (int i = 0; i < shapes.size(); i++) {
            Shape shape = shapes.get(i);
            Tensor[] xwy = saved.get(i);
            // both gradients: backward-data (the primitive that dies on some hosts) and backward-weights
            TensorVector grads = gradients(xwy[2], xwy[0], xwy[1]);
            TensorVector reference = withoutOneDnn(() -> {
                Tensor x = xwy[0].detach().requires_grad_(true);
                Tensor w = xwy[1].detach().requires_grad_(true);
                return gradients(convolve(shape, x, w), x, w);
            });
            for (int g = 0; g < 2; g++) {
                check(out, "backward", shape, distort(grads.get(g), "backward".equals(wrongIn)), reference.get(g));
            }
        }
        out.println(BACKWARD_OK);
        out.flush();
    }

    private static Tensor convolve(Shape s, Tensor x, Tensor w) {
        return torch.conv2d(x, w, new TensorOptional(), new long[] {s.stride(), s.stride()},
                new long[] {s.kernel() / 2, s.kernel() / 2}, new long[] {1, 1}, 1);
    }

    private static TensorVector gradients(Tensor y, Tensor x, Tensor w) {
        return torch.grad(new TensorVector(y.sum()), new TensorVector(x, w));
    }

    private static <T> T withoutOneDnn(java.util.function.Supplier<T> work) {
        torch.globalContext().setUserEnabledMkldnn(false);
        try {
            return work.get();
        } finally {
            torch.globalContext().setUserEnabledMkldnn(true);
        }
    }

    private static Tensor distort(Tensor t, boolean wrong) {
        return wrong ? t.mul(new Scalar(1.5)) : t;
    }

    /** Exits the probe (status 3) with one line when {@code got} is not {@code reference} within the tolerance. */
    private static void check(PrintStream out, String stage, Shape shape, Tensor got, Tensor reference) {
        double scale = Math.max(reference.abs().max().item_double(), 1e-30);
        double error = got.sub(reference).abs().max().item_double() / scale;
        if (!(error <= TOLERANCE)) { // NaN fails too
            out.printf("%s %s %s: relative error %.2e%n", WRONG, stage, shape, error);
            out.flush();
            System.exit(3);
        }
    }
}
