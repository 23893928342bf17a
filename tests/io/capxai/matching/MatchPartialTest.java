package io.capxai.matching;

import io.capxai.kernels.Kernels;
import io.capxai.selection.Selection;
import org.bytedeco.pytorch.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Partials of disjoint shards merge into exactly the single run's scores, statistics and selection. */
class MatchPartialTest {
    private static final int IMAGES = 11;
    private static final Map<String, String> RUN = Map.of("standalone.sha256", "aa", "clip.sha256", "bb");

    private final Map<String, Tensor>[] taps = FusedMatcherTest.randomTaps(IMAGES);
    private final MatchResult single = new FusedMatcher(Kernels.cpu()).match(Batches.of(taps[0], taps[1], 4));

    private MatchPartial shard(ImageShard shard, int batchSize) {
        int[] indices = shard.indices(IMAGES);
        return new FusedMatcher(Kernels.cpu()).partial(Batches.of(taps[0], taps[1], batchSize, indices)).describedAs(RUN, shard);
    }

    private List<MatchPartial> shards(int count, boolean contiguous, long seed) {
        List<MatchPartial> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(shard(new ImageShard(i, count, contiguous), 2 + i)); // batch sizes differ too
        }
        Collections.shuffle(out, new Random(seed)); // merge order must not matter
        return out;
    }

    @Test
    void mergedShardsEqualTheSingleRun() {
        for (int n = 1; n <= 3; n++) {
            MatchPartial merged = Partials.merge(shards(n, false, n));
            assertTrue(merged.complete());
            assertEquals(IMAGES, merged.images());
            assertSameResult(single, merged.finish(), "strided " + n);
        }
    }

    @Test
    void unevenContiguousShardsEqualTheSingleRun() {
        // 11 images in 3 contiguous ranges: 3, 4 and 4 images; in 4: 2, 3, 3, 3
        for (int n : new int[] {3, 4}) {
            assertSameResult(single, Partials.merge(shards(n, true, 7 + n)).finish(), "contiguous " + n);
        }
    }

    @Test
    void partialsSurviveAFileRoundTrip(@TempDir Path dir) {
        MatchPartial p = shard(new ImageShard(1, 3, false), 3);
        Path file = dir.resolve("p.safetensors");
        Partials.write(file, p);
        MatchPartial back = Partials.read(file);
        assertEquals(p.provenance(), back.provenance());
        assertEquals(p.shards(), back.shards());
        assertEquals(p.images(), back.images());
        assertArrayEquals(p.finish().scores().values(), back.finish().scores().values());
    }

    @Test
    void incompatibleOrDuplicatedPartialsAreRefused() {
        MatchPartial a = shard(new ImageShard(0, 2, false), 3);
        MatchPartial b = shard(new ImageShard(1, 2, false), 3);
        String dup = assertThrows(IllegalArgumentException.class, () -> Partials.merge(a, b, a)).getMessage();
        assertTrue(dup.contains("shard 0/2 is in both partials"), dup);

        MatchPartial other = b.describedAs(Map.of("standalone.sha256", "aa", "clip.sha256", "cc"), b.shards().getFirst());
        String diff = assertThrows(IllegalArgumentException.class, () -> Partials.merge(a, other)).getMessage();
        assertTrue(diff.contains("clip.sha256: 'bb' vs 'cc'"), diff);

        MatchPartial thirds = shard(new ImageShard(1, 3, false), 3);
        String split = assertThrows(IllegalArgumentException.class, () -> Partials.merge(a, thirds)).getMessage();
        assertTrue(split.contains("split the images differently"), split);
        assertFalse(a.complete());
    }

    static void assertSameResult(MatchResult expected, MatchResult actual, String what) {
        float[] e = expected.scores().values();
        float[] a = actual.scores().values();
        assertEquals(e.length, a.length, what);
        float largest = 0;
        for (float v : e) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest > 0.1f, "scores should not vanish: " + largest);
        for (int k = 0; k < e.length; k++) {
            // float32 accumulation in the kernels differs with the batches at ~1e-7 of the score scale
            assertEquals(e[k], a[k], 1e-6 * largest, what + ": score " + k);
        }
        assertStatsEqual(expected.standalone(), actual.standalone(), what);
        assertStatsEqual(expected.clip(), actual.clip(), what);
        assertArrayEquals(Selection.argmax().select(expected.scores()).sources(), Selection.argmax().select(actual.scores()).sources(),
                what + ": selection");
    }

    private static void assertStatsEqual(ChannelStats e, ChannelStats a, String what) {
        assertEquals(e.images(), a.images());
        for (int k = 0; k < e.mean().length; k++) {
            assertEquals(e.mean()[k], a.mean()[k], 1e-9 * Math.abs(e.mean()[k]), what + ": mean " + k);
            assertEquals(e.std()[k], a.std()[k], 1e-9 * e.std()[k], what + ": std " + k);
        }
    }
}
