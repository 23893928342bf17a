package io.capxai.evaluation;

import io.capxai.data.Canvas.Box;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PointingGameTest {
    // 3 rows x 4 columns
    private static final float[] MAP = {
            0.0f, 0.1f, 0.2f, 0.0f,
            0.0f, 0.3f, 0.9f, 0.1f,
            0.2f, 0.0f, 0.1f, 0.1f};

    @Test
    void pointingGameLooksAtTheMaximum() {
        assertTrue(Localisation.pointingHit(MAP, 4, List.of(new Box(2, 1, 3, 2))));   // the 0.9 at x=2, y=1
        assertFalse(Localisation.pointingHit(MAP, 4, List.of(new Box(0, 0, 2, 3))));
        assertFalse(Localisation.pointingHit(MAP, 4, List.of(new Box(2, 0, 4, 1))), "x1/y1 are exclusive");
    }

    @Test
    void tiesGoToTheFirstMaximum() {
        float[] flat = {1f, 1f, 1f, 1f};
        assertTrue(Localisation.pointingHit(flat, 2, List.of(new Box(0, 0, 1, 1))));
        assertFalse(Localisation.pointingHit(flat, 2, List.of(new Box(1, 1, 2, 2))));
    }

    @Test
    void boxMassIsTheShareOfTheTotal() {
        // total 2.0; the box x 1..2, y 0..1 holds 0.1 + 0.2 + 0.3 + 0.9 = 1.5
        assertEquals(0.75, Localisation.boxMass(MAP, 4, List.of(new Box(1, 0, 3, 2))), 1e-6);
        assertEquals(1.0, Localisation.boxMass(MAP, 4, List.of(new Box(0, 0, 4, 3))), 1e-6);
        assertEquals(0.0, Localisation.boxMass(new float[12], 4, List.of(new Box(0, 0, 4, 3))));
    }

    @Test
    void boxesScaleWithTheImage() {
        assertEquals(new Box(32, 16, 64, 48), Localisation.scale(new Box(64, 32, 128, 96), 448, 224));
    }

    @Test
    void badMapsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Localisation.boxMass(new float[11], 4, List.of(new Box(0, 0, 1, 1))));
        float[] nan = MAP.clone();
        nan[3] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> Localisation.pointingHit(nan, 4, List.of(new Box(0, 0, 1, 1))));
    }
}
