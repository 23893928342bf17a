package io.capxai.matching;

import io.capxai.matching.ChannelStats;

import java.util.Map;

/**
 * What a matching pass produces: the score matrix and both models' channel statistics.
 *
 * @param profile seconds spent per step of the pass (e.g. "cross_moment", "moments"), for benchmarks
 */
public record MatchResult(ScoreMatrix scores, ChannelStats standalone, ChannelStats clip, Map<String, Double> profile) {
    public MatchResult {
        profile = Map.copyOf(profile);
    }
}
