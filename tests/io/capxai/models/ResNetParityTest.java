package io.capxai.models;

import io.capxai.tensors.Autograd;
import io.capxai.taps.TapSet;
import io.capxai.weights.StateDict;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;

import static io.capxai.models.Fixtures.assertClose;
import static io.capxai.models.Fixtures.assertCloseL2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** torchvision ResNet-18/50 and a Keras-convention ResNet-50 against PyTorch (tests/reference). */
class ResNetParityTest {

    private static final Map<String, ResNet> MODELS = new HashMap<>();

    static synchronized ResNet load(String fixture) {
        return MODELS.computeIfAbsent(fixture, f -> {
            StateDict w = Fixtures.weights(f);
            return f.startsWith("keras") ? KerasResNet50.fromStateDict(w) : ResNet.fromStateDict(w);
        });
    }

    @ParameterizedTest
    @CsvSource({"resnet18, ResNet-18, 10", "resnet50, ResNet-50, 7", "keras50, Keras ResNet-50, 5"})
    void outputsAndTapsMatchPyTorch(String fixture, String name, long classes) {
        ResNet model = load(fixture);
        assertEquals(name, model.name());
        assertEquals(classes, model.numClasses());
        StateDict expected = Fixtures.expected(fixture);
        List<String> taps = new ArrayList<>();
        expected.keys().stream().filter(k -> k.startsWith("tap.")).forEach(k -> taps.add(k.substring(4)));
        assertFalse(taps.isEmpty());

        TapSet tapSet = TapSet.capturing(taps);
        try (NoGradGuard _ = new NoGradGuard()) {
            Tensor out = model.forward(expected.get("input"), tapSet);
            assertClose(expected.get("output"), out, fixture + " logits");
        }
        for (String tap : taps) {
            assertClose(expected.get("tap." + tap), tapSet.captured(tap), fixture + " tap " + tap);
        }
    }

    /** A replace at a tap changes everything after it exactly as a PyTorch forward hook does, and gradients flow. */
    @ParameterizedTest
    @CsvSource({"resnet18", "resnet50", "keras50"})
    void replaceAndGradientsMatchPyTorch(String fixture) {
        ResNet model = load(fixture);
        StateDict expected = Fixtures.expected(fixture);
        String edit = expected.metadata().get("edit");
        Tensor x = expected.get("input").clone().set_requires_grad(true);
        Tensor out = model.forward(x, TapSet.none().replace(edit, t -> t.mul(new Scalar(0.5))));
        assertClose(expected.get("edited_output"), out, fixture + " output with " + edit + " halved");
        Autograd.backward(out.mul(expected.get("probe")).sum());
        assertCloseL2(expected.get("grad_input"), x.grad(), Fixtures.GRADIENT_TOLERANCE, fixture + " input gradient");
        assertArrayEquals(new long[] {2, 3, 64, 64}, x.grad().sizes().vec().get());
    }
}
