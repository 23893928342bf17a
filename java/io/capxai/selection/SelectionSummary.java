package io.capxai.selection;

import io.capxai.matching.TapBlock;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link SurgeryPlan} uses, for the report (docs/method.md#selection): how many CLIP columns are replaced,
 * how many distinct standalone maps feed them, where those maps come from per CLIP tap, and the
 * distribution of the selected scores.
 *
 * @param standaloneChannels   rows of the score matrix (22,720 for ResNet-50)
 * @param distinctSources      distinct standalone maps used (paper: about 1,400)
 * @param perClipTap           per CLIP tap, in tap order
 * @param selectedScores       the scores of all (column, source) pairs in the plan
 */
public record SelectionSummary(String rule, int clipChannels, int replacedChannels, int standaloneChannels,
                               int distinctSources, List<ClipTapSources> perClipTap,
                               ScoreDistribution selectedScores) {
    public SelectionSummary {
        perClipTap = List.copyOf(perClipTap);
    }

    /**
     * One CLIP tap's columns and how many of their source maps come from each standalone tap
     * (standalone taps in tap order, only those that contribute).
     */
    public record ClipTapSources(String clipTap, int channels, int replaced, int distinctSources,
                                 Map<String, Integer> sourcesByStandaloneTap) {
        public ClipTapSources {
            sourcesByStandaloneTap = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sourcesByStandaloneTap));
        }
    }

    public static SelectionSummary of(SurgeryPlan plan) {
        return of(plan, 40);
    }

    public static SelectionSummary of(SurgeryPlan plan, int histogramBins) {
        List<TapBlock> rowTaps = plan.rows();
        int[] tapOfRow = new int[plan.rowCount()];
        for (int t = 0; t < rowTaps.size(); t++) {
            TapBlock b = rowTaps.get(t);
            java.util.Arrays.fill(tapOfRow, b.offset(), b.offset() + b.channels(), t);
        }
        List<ClipTapSources> perTap = new ArrayList<>();
        int pairs = 0;
        int[][] sources = plan.sources();
        float[][] scores = plan.scores();
        for (int[] src : sources) {
            pairs += src.length;
        }
        float[] selected = new float[pairs];
        int next = 0;
        for (TapBlock clip : plan.cols()) {
            int[] counts = new int[rowTaps.size()];
            boolean[] used = new boolean[plan.rowCount()];
            int distinct = 0;
            int replaced = 0;
            for (int j = clip.offset(); j < clip.offset() + clip.channels(); j++) {
                int[] src = sources[j];
                float[] sc = scores[j];
                replaced += src.length > 0 ? 1 : 0;
                for (int k = 0; k < src.length; k++) {
                    counts[tapOfRow[src[k]]]++;
                    if (!used[src[k]]) {
                        used[src[k]] = true;
                        distinct++;
                    }
                    selected[next++] = sc[k];
                }
            }
            Map<String, Integer> byTap = new LinkedHashMap<>();
            for (int t = 0; t < counts.length; t++) {
                if (counts[t] > 0) {
                    byTap.put(rowTaps.get(t).name(), counts[t]);
                }
            }
            perTap.add(new ClipTapSources(clip.name(), clip.channels(), replaced, distinct, byTap));
        }
        return new SelectionSummary(plan.rule(), plan.columnCount(), plan.replacedCount(), plan.rowCount(),
                plan.distinctSources(), perTap, ScoreDistribution.of(selected, histogramBins));
    }
}
