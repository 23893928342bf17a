package io.capxai.selection;

import io.capxai.matching.ScoreMatrix;
import io.capxai.matching.TapBlock;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SelectionSummaryTest {
    @Test
    void countsSourcesPerTapPairAndSummarisesSelectedScores() {
        // rows: a (0..1), b (2..4); cols: x (0..1), y (2)
        float[] v = {
                9, 0, 0,   // a0 best for x0
                0, 0, 0,
                0, 8, 7,   // b0 best for x1 and y0
                0, 0, 0,
                0, 0, 0};
        ScoreMatrix m = new ScoreMatrix(
                List.of(new TapBlock("a", 0, 2, 4, 4), new TapBlock("b", 2, 3, 2, 2)),
                List.of(new TapBlock("x", 0, 2, 4, 4), new TapBlock("y", 2, 1, 2, 2)), v);
        SelectionSummary s = SelectionSummary.of(Selection.argmax().select(m), 4);
        assertEquals(3, s.clipChannels());
        assertEquals(3, s.replacedChannels());
        assertEquals(5, s.standaloneChannels());
        assertEquals(2, s.distinctSources());
        assertEquals(Map.of("a", 1, "b", 1), s.perClipTap().get(0).sourcesByStandaloneTap());
        assertEquals(Map.of("b", 1), s.perClipTap().get(1).sourcesByStandaloneTap());
        assertEquals(2, s.perClipTap().get(0).distinctSources());
        ScoreDistribution d = s.selectedScores();
        assertEquals(3, d.count());
        assertEquals(8.0, d.mean(), 1e-12);
        assertEquals(1.0, d.std(), 1e-12);
        assertEquals(8.0, d.quantile(0.5), 1e-12);
        assertEquals(7.0, d.min());
        assertEquals(9.0, d.max());
        assertArrayEquals(new long[] {1, 0, 1, 1}, d.histogram());
        assertEquals(7.5, d.histogramEdges()[1], 1e-12);
    }

    @Test
    void aThresholdThatKeepsNothingGivesAnEmptySummaryThatStillSerialises() throws Exception {
        float[] v = {0.1f, 0.2f, 0.3f, 0.4f};
        ScoreMatrix m = new ScoreMatrix(List.of(new TapBlock("a", 0, 2, 2, 2)), List.of(new TapBlock("x", 0, 2, 2, 2)), v);
        SelectionSummary s = SelectionSummary.of(Selection.threshold(0.9f).select(m));
        assertEquals(0, s.replacedChannels());
        assertEquals(0, s.distinctSources());
        assertEquals(0, s.selectedScores().count());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        SelectionSummary back = json.readValue(json.writeValueAsString(s), SelectionSummary.class);
        assertEquals(json.readTree(json.writeValueAsString(s)), json.readTree(json.writeValueAsString(back)));
        assertEquals(Double.NaN, back.selectedScores().mean());
    }
}
