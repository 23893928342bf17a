package io.capxai.tensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.capxai.tensors.OneDnn.Mode;
import io.capxai.tensors.OneDnn.Verdict;
import org.bytedeco.pytorch.Context;
import java.util.List;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptional;
import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OneDnnTest {
    private Mode before;

    @BeforeEach
    void configure() {
        Libtorch.configure();
        before = OneDnn.active();
    }

    @AfterEach
    void restore() {
        OneDnn.apply(before);
    }

    @Test
    void aProbeThatDiesInBackwardKeepsOneDnnForForwardOnlyAndTheWorkCompletes() {
        Verdict verdict = OneDnn.probe(List.of(ConvolutionProbe.DIE_IN + "=backward"));
        assertEquals(Mode.FORWARD, verdict.mode(), verdict.reason());
        assertTrue(verdict.reason().contains("signal 8"), verdict.reason());

        OneDnn.apply(verdict.mode());
        assertEquals(Context.hasMKLDNN(), OneDnn.enabledNow(), "forward passes keep oneDNN");
        OneDnn.enterBackward();
        try {
            assertFalse(OneDnn.enabledNow(), "off while a backward pass runs");
        } finally {
            OneDnn.exitBackward();
        }
        assertEquals(Context.hasMKLDNN(), OneDnn.enabledNow(), "back on after it");

        // The shape whose backward-data primitive crashed oneDNN on an AMD EPYC family-26 host (JVM dead):
        // a ResNet-50 layer4 1x1 convolution at 2x2, batch 16. Here it completes, with correct gradients.
        torch.manual_seed(3);
        Tensor x = torch.randn(16, 2048, 2, 2).set_requires_grad(true);
        Tensor w = torch.randn(512, 2048, 1, 1).mul_(new org.bytedeco.pytorch.Scalar(0.01)).set_requires_grad(true);
        Tensor y = torch.conv2d(x, w, new TensorOptional(), new long[] {1, 1}, new long[] {0, 0}, new long[] {1, 1}, 1);
        Autograd.backward(y.sum());
        // d(sum(conv1x1(x, w)))/dx[n, c, i, j] = sum over output channels of w[o, c]
        Tensor expected = w.detach().sum(new long[] {0}).reshape(1, 2048, 1, 1).expand(16, 2048, 2, 2);
        assertArrayEquals(Tensors.toFloats(expected.contiguous()), Tensors.toFloats(x.grad().contiguous()), 1e-4f);
    }

    @Test
    void aProbeThatDiesInForwardTurnsOneDnnOff() {
        Verdict verdict = OneDnn.probe(List.of(ConvolutionProbe.DIE_IN + "=forward"));
        assertEquals(Mode.OFF, verdict.mode(), verdict.reason());
        OneDnn.apply(verdict.mode());
        assertFalse(OneDnn.enabledNow());
    }

    @Test
    void aProbeWhoseBackwardValuesAreWrongKeepsOneDnnForForwardOnly() {
        Verdict verdict = OneDnn.probe(List.of(ConvolutionProbe.WRONG_IN + "=backward"));
        assertEquals(Mode.FORWARD, verdict.mode(), verdict.reason());
        assertTrue(verdict.reason().matches("the probe's convolutions gave wrong values in backward mb1_ic2048oc512_k1s1_ih1: "
                + "relative error 5\\.00e-01"), verdict.reason());
    }

    @Test
    void aProbeWhoseForwardValuesAreWrongTurnsOneDnnOff() {
        Verdict verdict = OneDnn.probe(List.of(ConvolutionProbe.WRONG_IN + "=forward"));
        assertEquals(Mode.OFF, verdict.mode(), verdict.reason());
        assertTrue(verdict.reason().startsWith("the probe's convolutions gave wrong values in forward mb1_"), verdict.reason());
    }

    @Test
    void verdictsReadTheChildsOutput() {
        assertEquals(new Verdict(Mode.ON, true, "probe passed"),
                OneDnn.verdict(0, ConvolutionProbe.FORWARD_OK + "\n" + ConvolutionProbe.BACKWARD_OK + "\n"));
        String crash = ConvolutionProbe.FORWARD_OK + "\n#  SIGFPE (0x8) at pc=0x00007f, pid=1, tid=2\n"
                + "# C  [libtorch_cpu.so+0xb73d913]  dnnl::impl::cpu::x64::brgemm_convolution_bwd_utils::brg_blocking_t::est_eff_1x1()+0xab3\n"
                + "[W NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.\n";
        Verdict v = OneDnn.verdict(134, crash);
        assertEquals(Mode.FORWARD, v.mode());
        assertFalse(v.nnpack(), "NNPACK complained");
        assertEquals("the probe's backward convolutions died: signal 6, SIGFPE in libtorch_cpu.so+0xb73d913 "
                + "dnnl::impl::cpu::x64::brgemm_convolution_bwd_utils::brg_blocking_t::est_eff_1x1()+0xab3", v.reason());
        assertEquals(Mode.OFF, OneDnn.verdict(136, "").mode());
        assertEquals(Mode.FORWARD, OneDnn.verdict(1, ConvolutionProbe.FORWARD_OK).mode(), "a failed exit is not a pass");
    }

    @Test
    void whereTheUncappedProbeFailsTheWidestInstructionSetCapThatPassesIsChosen() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(OneDnn.ISA_ENV) == null && System.getenv("DNNL_MAX_CPU_ISA") == null,
                "the user capped oneDNN's instruction set in this environment; the search is skipped then");
        List<List<String>> asked = new java.util.ArrayList<>();
        Verdict died = new Verdict(Mode.FORWARD, false, "the probe's backward convolutions died: signal 8");
        Verdict v = OneDnn.probeWithIsaCaps(env -> {
            asked.add(env);
            return env.equals(List.of(OneDnn.ISA_ENV + "=AVX")) ? new Verdict(Mode.ON, true, "probe passed") : died;
        });
        assertEquals(List.of(List.of(), List.of("ONEDNN_MAX_CPU_ISA=AVX2"), List.of("ONEDNN_MAX_CPU_ISA=AVX")), asked);
        assertEquals(new Verdict(Mode.ON, false, died.reason(), "AVX"), v, "NNPACK stays off: it failed uncapped");

        asked.clear();
        assertEquals(died, OneDnn.probeWithIsaCaps(env -> {
            asked.add(env);
            return died;
        }), "no cap passes: the uncapped verdict stands");
        assertEquals(1 + OneDnn.ISA_CAPS.size(), asked.size());

        asked.clear();
        Verdict passed = new Verdict(Mode.ON, true, "probe passed");
        assertEquals(passed, OneDnn.probeWithIsaCaps(env -> {
            asked.add(env);
            return passed;
        }));
        assertEquals(List.of(List.of()), asked, "a sound oneDNN is not capped");
    }

    @Test
    void cachedVerdictsRoundTrip(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        Verdict v = new Verdict(Mode.FORWARD, false, "the probe's backward convolutions died: signal 6");
        OneDnn.store(dir.resolve("probe.properties"), v);
        assertEquals(v, OneDnn.cached(dir.resolve("probe.properties")));
        assertEquals(null, OneDnn.cached(dir.resolve("absent.properties")));
        Verdict capped = new Verdict(Mode.ON, true, "the probe's backward convolutions died: signal 8", "AVX");
        OneDnn.store(dir.resolve("capped.properties"), capped);
        assertEquals(capped, OneDnn.cached(dir.resolve("capped.properties")));
    }

    @Test
    void modesAreParsedWithAClearMessage() {
        String old = System.getProperty(OneDnn.PROPERTY);
        try {
            System.setProperty(OneDnn.PROPERTY, "Forward");
            assertEquals(Mode.FORWARD, OneDnn.requested());
            System.setProperty(OneDnn.PROPERTY, "sometimes");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, OneDnn::requested);
            assertEquals("CAPXAI_ONEDNN/capxai.onednn must be auto, on, forward or off, got 'sometimes'", e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(OneDnn.PROPERTY);
            } else {
                System.setProperty(OneDnn.PROPERTY, old);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> OneDnn.apply(Mode.AUTO));
    }
}
