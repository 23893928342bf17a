package io.capxai.report;

import io.capxai.matching.ScoreMatrix;
import io.capxai.matching.TapBlock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TapPairMeansTest {
    @Test
    void meanOfEveryBlock() {
        List<TapBlock> rows = List.of(new TapBlock("a", 0, 3, 4, 4), new TapBlock("b", 3, 2, 2, 2));
        List<TapBlock> cols = List.of(new TapBlock("x", 0, 2, 4, 4), new TapBlock("y", 2, 3, 2, 2));
        Random rnd = new Random(1);
        float[] v = new float[5 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextFloat();
        }
        ScoreMatrix m = new ScoreMatrix(rows, cols, v);
        TapPairMeans means = TapPairMeans.of(m);
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 2; c++) {
                TapBlock rb = rows.get(r);
                TapBlock cb = cols.get(c);
                double sum = 0;
                for (int i = rb.offset(); i < rb.offset() + rb.channels(); i++) {
                    for (int j = cb.offset(); j < cb.offset() + cb.channels(); j++) {
                        sum += m.score(i, j);
                    }
                }
                assertEquals(sum / (rb.channels() * cb.channels()), means.mean()[r][c], 1e-9, rb.name() + "/" + cb.name());
            }
        }
        assertEquals(List.of("a", "b"), means.rowTaps());
    }
}
