package io.capxai.audit;

import io.capxai.matching.ImageShard;
import io.capxai.matching.MatchPartial;
import io.capxai.matching.Partials;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An audit whose statistics pass ran as shards and was merged equals the audit run in one go. */
class AuditPartialTest {
    @Test
    void threeMergedShardsGiveTheSameAudit() {
        TinyAudit tiny = TinyAudit.of(5, 3, 2, 1);
        java.util.function.Supplier<Audit.Builder> builder = () -> tiny.builder().batchSize(3)
                .provenance(Map.of("standalone", "random seed 1"));

        AuditResult single = builder.get().build().run();
        Audit sharded = builder.get().build();
        List<MatchPartial> parts = new ArrayList<>();
        for (int i = 2; i >= 0; i--) {
            parts.add(sharded.partial(new ImageShard(i, 3, false)));
        }
        MatchPartial merged = Partials.merge(parts);
        AuditResult fromShards = builder.get().partial(merged).build().run();

        float[] a = single.match().scores().values();
        float[] b = fromShards.match().scores().values();
        for (int k = 0; k < a.length; k++) {
            assertEquals(a[k], b[k], 1e-6, "score " + k);
        }
        assertArrayEquals(single.plan().sources(), fromShards.plan().sources());
        assertEquals(single.headline().answer(), fromShards.headline().answer());
        for (int v = 0; v < single.after().length; v++) {
            for (int i = 0; i < single.after()[v].length; i++) {
                assertArrayEquals(single.after()[v][i], fromShards.after()[v][i], 1e-5f, "variant " + v + " image " + i);
            }
        }

        String other = assertThrows(IllegalArgumentException.class, () -> builder.get()
                .provenance(Map.of("standalone", "random seed 2")).partial(merged).build()).getMessage();
        assertTrue(other.contains("made for another audit"), other);
        String partial = assertThrows(IllegalArgumentException.class, () -> builder.get()
                .partial(Partials.merge(parts.get(0), parts.get(1))).build()).getMessage();
        assertTrue(partial.contains("merge every shard"), partial);
    }
}
