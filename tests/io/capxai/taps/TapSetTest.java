package io.capxai.taps;

import io.capxai.tensors.Tensors;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TapSet on its own, driven the way a model drives it: begin, at(...) per point, end. */
class TapSetTest {
    private static final List<String> POINTS = List.of("conv1", "layer1.0.conv1", "layer1");

    @Test
    void observeThenReplaceThenCaptureAtOnePoint() {
        List<Double> observed = new ArrayList<>();
        TapSet taps = TapSet.none()
                .observe("layer1.0.conv1", t -> observed.add(t.sum().item_double()))
                .replace("layer1.0.conv1", t -> t.mul(new Scalar(2.0)))
                .capture("layer1.0.conv1")
                .capture("conv1");
        taps.begin("toy", POINTS);
        Tensor a = Tensors.fromFloats(new float[] {1, 2, 3}, 3);
        assertSame(a, taps.at("conv1", a), "a point with no replacement passes the same tensor on");
        Tensor b = taps.at("layer1.0.conv1", Tensors.fromFloats(new float[] {1, 1, 1}, 3));
        taps.at("layer1", b);
        taps.end();

        assertEquals(List.of(3.0), observed, "the observer sees the module output before the replacement");
        assertArrayEquals(new float[] {2, 2, 2}, Tensors.toFloats(b), "later layers see the replacement");
        assertArrayEquals(new float[] {2, 2, 2}, Tensors.toFloats(taps.captured("layer1.0.conv1")));
        assertSame(a, taps.captured("conv1"), "a capture is the tensor itself, not a copy");
        assertEquals(List.of("conv1", "layer1.0.conv1"), List.copyOf(taps.captures().keySet()));
    }

    @Test
    void aTapSetServesOneForwardPassOnly() {
        TapSet taps = TapSet.none().replace("conv1", t -> t.mul(new Scalar(0.0)));
        taps.begin("toy", POINTS);
        taps.at("conv1", Tensors.fromFloats(new float[] {1}, 1));
        taps.end();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> taps.begin("toy", POINTS));
        assertTrue(e.getMessage().contains("new TapSet"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> taps.capture("layer1"), "no edits after a pass started");
    }

    @Test
    void unknownNamesAreRejectedBeforeThePass() {
        TapSet taps = TapSet.capturing("layer9.0.conv1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> taps.begin("toy", POINTS));
        assertTrue(e.getMessage().contains("layer9.0.conv1") && e.getMessage().contains("conv1"), e.getMessage());
    }

    @Test
    void aRequestedPointThatIsNeverReachedIsAnError() {
        TapSet taps = TapSet.capturing("layer1");
        taps.begin("toy", POINTS);
        taps.at("conv1", Tensors.fromFloats(new float[] {1}, 1));
        IllegalStateException e = assertThrows(IllegalStateException.class, taps::end);
        assertTrue(e.getMessage().contains("layer1"), e.getMessage());
    }

    @Test
    void aReplacementMustKeepTheShape() {
        TapSet taps = TapSet.none().replace("conv1", t -> t.sum());
        taps.begin("toy", POINTS);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> taps.at("conv1", Tensors.fromFloats(new float[] {1, 2}, 2)));
        assertTrue(e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void aReplacementMustReturnATensor() {
        TapSet taps = TapSet.none().replace("conv1", t -> new Tensor());
        taps.begin("toy", POINTS);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> taps.at("conv1", Tensors.fromFloats(new float[] {1, 2}, 2)));
        assertTrue(e.getMessage().contains("undefined"), e.getMessage());
    }

    @Test
    void missingCaptureNamesWhatWasCaptured() {
        TapSet taps = TapSet.capturing("conv1");
        taps.begin("toy", POINTS);
        taps.at("conv1", Tensors.fromFloats(new float[] {1}, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> taps.captured("layer1"));
        assertTrue(e.getMessage().contains("conv1"), e.getMessage());
    }

    @Test
    void twoReplacementsAtOnePointAreRefused() {
        TapSet taps = TapSet.none().replace("conv1", t -> t);
        assertThrows(IllegalArgumentException.class, () -> taps.replace("conv1", t -> t));
    }
}
