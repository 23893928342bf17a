package io.capxai.spark;

import io.capxai.audit.AuditResult;
import io.capxai.audit.AuditSpec;
import io.capxai.matching.ChannelStats;
import io.capxai.progress.ProgressListener;
import io.capxai.report.TapPairMeans;
import io.capxai.tensors.Device;
import io.capxai.testing.BlobFolders;
import io.capxai.testing.TinyModelFiles;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit on Spark in local mode equals the audit in one JVM on the same images, retried tasks included. */
class SparkAuditTest {
    @TempDir
    static Path dir;
    private static JavaSparkContext sc;
    private static AuditSpec spec;
    private static AuditResult single;

    @BeforeAll
    static void setUp() throws IOException {
        Path standalone = TinyModelFiles.standalone(dir);
        Path clip = TinyModelFiles.clip(dir, "clip.safetensors", 5);
        // One image per forward pass: libtorch's convolutions round differently with the batch's size, and the
        // partitions cut the batches differently from the single run.
        spec = new AuditSpec(standalone.toString(), clip.toString(), BlobFolders.write(dir, "stats", 7, 1).toString(), BlobFolders.write(dir, "eval", 5, 2).toString(),
                null, "argmax", "bilinear", "fused", 1, Map.of("standalone", "random 4", "clip", "random 5"));
        single = spec.build(List.of(Device.AUTO), ProgressListener.NONE).run(); // the device the executors take
        // local[2, 2]: two threads, and a failed task is tried a second time
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2,2]").setAppName("SparkAuditTest")
                .set("spark.ui.enabled", "false"));
    }

    @AfterAll
    static void tearDown() {
        if (sc != null) {
            sc.close();
        }
    }

    @Test
    void sparkLocalModeEqualsTheSingleRun() {
        SparkAudit.Result r = SparkAudit.run(sc, spec, 3, 5, ProgressListener.NONE); // 5-row blocks: several, uneven, per tap pair
        assertSame(r);
        assertEquals(0, r.failedTasks());
        assertTrue(r.shuffleBytes() > 0, "the blocks went through Spark's shuffle");
        TapPairMeans expected = TapPairMeans.of(single.match().scores());
        for (int t = 0; t < expected.mean().length; t++) {
            assertArrayEquals(expected.mean()[t], r.tapPairMeans().mean()[t], 1e-6, "tap pair means, row tap " + t);
        }
    }

    @Test
    void aTaskThatFailsOnceIsRetriedWithoutChangingTheResult() {
        SparkAudit.Result r = SparkAudit.run(sc, spec, 2, SparkAudit.DEFAULT_BLOCK_ROWS, ProgressListener.NONE, 1);
        assertTrue(r.failedTasks() >= 1, "the injected failure happened");
        assertSame(r);
    }

    @Test
    void oneToOneSelectionIsRefusedWithTheReason() {
        AuditSpec oneToOne = new AuditSpec(spec.standalone(), spec.clip(), spec.statistics(), spec.evaluation(), null,
                "one-to-one", "bilinear", "fused", 1, spec.provenance());
        String message = assertThrows(IllegalArgumentException.class,
                () -> SparkAudit.run(sc, oneToOne, 2, 8, ProgressListener.NONE)).getMessage();
        assertTrue(message.contains("use argmax, top-K or threshold:T with --spark"), message);
    }

    private static void assertSame(SparkAudit.Result r) {
        assertStats(single.match().standalone(), r.standaloneStats());
        assertStats(single.match().clip(), r.clipStats());
        assertArrayEquals(single.plan().sources(), r.plan().sources(), "the same standalone maps feed the same CLIP channels");
        for (int j = 0; j < single.plan().columnCount(); j++) {
            assertArrayEquals(single.plan().scores(j), r.plan().scores(j), 1e-6f, "best score of column " + j);
        }
        assertArrayEquals(single.imageIndices(), r.rows().indices());
        for (int v = 0; v < single.after().length; v++) {
            for (int i = 0; i < single.after()[v].length; i++) {
                assertArrayEquals(single.after()[v][i], r.rows().after()[v][i], 1e-5f, "variant " + v + " image " + i);
            }
        }
        assertEquals(single.verdicts().size(), r.verdicts().size());
        for (int v = 0; v < single.verdicts().size(); v++) {
            assertEquals(single.verdicts().get(v).answer(), r.verdicts().get(v).answer());
        }
    }

    private static void assertStats(ChannelStats e, ChannelStats a) {
        assertEquals(e.images(), a.images());
        assertEquals(e.taps(), a.taps());
        for (int k = 0; k < e.mean().length; k++) {
            assertEquals(e.mean()[k], a.mean()[k], 1e-9 * Math.abs(e.mean()[k]) + 1e-12, "mean " + k);
            assertEquals(e.std()[k], a.std()[k], 1e-9 * e.std()[k], "std " + k);
        }
    }
}
