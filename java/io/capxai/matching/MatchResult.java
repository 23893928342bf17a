package io.capxai.matching;

import io.capxai.stats.ChannelStats;

/** What a matching pass produces: the score matrix and both models' channel statistics. */
public record MatchResult(ScoreMatrix scores, ChannelStats standalone, ChannelStats clip) {}
