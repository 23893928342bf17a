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
 */
public final class ConvolutionProbe {
    /** Printed after each stage; the parent reads these lines. */
    static final String FORWARD_OK = "forward ok";
    static final String BACKWARD_OK = "backward ok";
    /** Set in the child's environment: die on purpose in this stage, {@code forward} or {@code backward} (tests). */
    static final String DIE_IN = "CAPXAI_PROBE_DIE_IN";

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
        List<Shape> shapes = shapes();
        List<Tensor[]> saved = new ArrayList<>();
        for (Shape s : shapes) {
            Tensor x = torch.randn(s.batch(), s.in(), s.size(), s.size()).set_requires_grad(true);
            Tensor w = torch.randn(s.out(), s.in(), s.kernel(), s.kernel()).mul_(new Scalar(0.01))
                    .set_requires_grad(true);
            Tensor y = torch.conv2d(x, w, new TensorOptional(),
                    new long[] {s.stride(), s.stride()}, new long[] {s.kernel() / 2, s.kernel() / 2},
                    new long[] {1, 1}, 1);
            saved.add(new Tensor[] {x, w, y});
        }
        if ("forward".equals(dieIn)) {
            Runtime.getRuntime().halt(136); // exit status of a process killed by SIGFPE
        }
        out.println(FORWARD_OK);
        out.flush();
        if ("backward".equals(dieIn)) {
            Runtime.getRuntime().halt(136);
        }
        for (Tensor[] xwy : saved) {
            // both gradients: backward-data (the primitive that dies on some hosts) and backward-weights
            TensorVector grads = torch.grad(new TensorVector(xwy[2].sum()), new TensorVector(xwy[0], xwy[1]));
            grads.close();
        }
        out.println(BACKWARD_OK);
        out.flush();
    }
}
