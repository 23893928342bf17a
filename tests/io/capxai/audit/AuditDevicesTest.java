package io.capxai.audit;

import io.capxai.data.ColoredMnist;
import io.capxai.matching.ChannelStats;
import io.capxai.progress.ProgressListener;
import io.capxai.tensors.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The audit split over several workers (here CPU workers, as {@code --devices cpu,cpu}) equals the
 * audit on one device: the same scores (1e-6 relative), statistics (1e-9), surgery plan and verdicts.
 * 14 statistics and 8 evaluation images, so the shares are uneven. One image a batch: a float32
 * convolution's result depends a little on its batch (about 1e-6 of a score, with or without
 * workers), so equal batches let the comparison see the split and the merge alone.
 */
class AuditDevicesTest {
    private static TinyAudit tiny;
    private static ColoredMnist.Splits splits;
    private static AuditResult single;

    @BeforeAll
    static void setUp() {
        tiny = TinyAudit.of(7, 4, 2, 1);
        splits = tiny.splits();
        single = builder().device(Device.CPU).build().run();
    }

    private static Audit.Builder builder() {
        return tiny.builder().batchSize(1);
    }

    @Test
    void twoAndThreeWorkersGiveTheSingleDeviceAudit() {
        assertEquals(14, splits.train().size());
        assertEquals(8, splits.test().size());
        for (int workers : new int[] {2, 3}) {
            List<Device> devices = java.util.Collections.nCopies(workers, Device.CPU);
            RecordingProgress progress = new RecordingProgress();
            Audit audit = builder().devices(devices).progress(progress).build();
            assertEquals(devices, audit.devices());
            assertSameAudit(single, audit.run(), workers + " workers");
            // One phase each, the workers' batches summed: 14 = 7+7 or 4+5+5 images, 8 = 4+4 or 2+3+3.
            assertEquals(List.of("started statistics 14", "finished statistics", "started evaluation 8",
                    "finished evaluation"), progress.phases);
            assertEquals(14, progress.lastDone.get("statistics"));
            assertEquals(8, progress.lastDone.get("evaluation"));
        }
    }

    @Test
    void shardedPartialsSplitOverWorkersMergeToTheSameAudit() {
        Audit twoWorkers = builder().devices(List.of(Device.CPU, Device.CPU)).build();
        List<io.capxai.matching.MatchPartial> parts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            parts.add(twoWorkers.partial(new io.capxai.matching.ImageShard(i, 2, false)));
        }
        AuditResult merged = builder().device(Device.CPU).partial(io.capxai.matching.Partials.merge(parts)).build().run();
        assertSameAudit(single, merged, "two shards on two workers each");
    }

    @Test
    void workersRunTheirShareWithTheirOwnModelsAndSkipAnEmptyShare() {
        var standalone = tiny.standalone();
        var clip = tiny.clip();
        DeviceWorkers workers = DeviceWorkers.of(List.of(Device.CPU, Device.CPU, Device.CPU), standalone, clip.visual());
        assertEquals(3, workers.count());
        List<String> seen = workers.each(2, 1, ProgressListener.NONE, "test",
                (w, share) -> w.device() + " " + share.shard() + " " + Arrays.toString(share.positions()));
        assertEquals(List.of("cpu 1/3:contiguous [0]", "cpu 2/3:contiguous [1]"), seen,
                "2 items over 3 workers: the first share (items 0 to 2*1/3) is empty and does not run");
        List<DeviceWorkers.Worker> ws = workers.each(9, 1, ProgressListener.NONE, "test", (w, share) -> w);
        assertEquals(3, ws.size());
        assertTrue(ws.get(0).standalone() == standalone && ws.get(0).clip() == clip.visual(), "the first worker uses the models given");
        assertNotSame(standalone, ws.get(1).standalone());
        assertNotSame(ws.get(1).clip(), ws.get(2).clip());
        String failure = assertThrows(IllegalStateException.class, () -> workers.each(3, 1, ProgressListener.NONE, "test",
                (w, share) -> {
                    throw new IllegalStateException("worker " + share.shard().index() + " failed");
                })).getMessage();
        assertEquals("worker 0 failed", failure, "the first worker's failure, once all have stopped");
    }

    @Test
    void refusals() {
        assertEquals("devices: the list is empty; name at least one device", assertThrows(IllegalArgumentException.class,
                () -> builder().devices(List.of()).build()).getMessage());
        assertEquals("the reference engine runs on one device (it needs every image at once); 2 devices were given:"
                        + " use the fused engine", assertThrows(IllegalArgumentException.class,
                () -> builder().engine(Audit.Engine.REFERENCE).devices(List.of(Device.CPU, Device.CPU)).build()).getMessage());
    }

    /** Same scores (1e-6 of the largest), statistics (1e-9), plan, similarities (1e-5) and verdicts. */
    static void assertSameAudit(AuditResult expected, AuditResult actual, String what) {
        float[] a = expected.match().scores().values();
        float[] b = actual.match().scores().values();
        assertEquals(a.length, b.length);
        double largest = 0;
        for (float v : a) {
            largest = Math.max(largest, Math.abs(v));
        }
        assertTrue(largest > 0, "scores are not all zero");
        for (int k = 0; k < a.length; k++) {
            assertEquals(a[k], b[k], 1e-6 * largest, what + ": score " + k);
        }
        assertSameStats(expected.match().standalone(), actual.match().standalone(), what + ": standalone statistics");
        assertSameStats(expected.match().clip(), actual.match().clip(), what + ": CLIP statistics");
        assertArrayEquals(expected.plan().sources(), actual.plan().sources(), what + ": surgery plan");
        assertArrayEquals(expected.imageIndices(), actual.imageIndices(), what + ": evaluation rows in image order");
        for (int i = 0; i < expected.before().length; i++) {
            assertArrayEquals(expected.before()[i], actual.before()[i], 1e-5f, what + ": before, image " + i);
            for (int v = 0; v < expected.after().length; v++) {
                assertArrayEquals(expected.after()[v][i], actual.after()[v][i], 1e-5f, what + ": variant " + v + ", image " + i);
            }
        }
        Function<AuditResult, List<String>> answers = r -> r.verdicts().stream().map(io.capxai.probing.Verdict::answer).toList();
        assertEquals(answers.apply(expected), answers.apply(actual), what + ": verdicts");
    }

    private static void assertSameStats(ChannelStats expected, ChannelStats actual, String what) {
        assertEquals(expected.images(), actual.images(), what);
        for (int c = 0; c < expected.mean().length; c++) {
            assertEquals(expected.mean()[c], actual.mean()[c], 1e-9 * Math.max(1, Math.abs(expected.mean()[c])), what + " mean " + c);
            assertEquals(expected.std()[c], actual.std()[c], 1e-9 * Math.max(1, expected.std()[c]), what + " std " + c);
        }
    }

    /** Phases started and finished, and the last count of each; calls come from one thread at a time. */
    private static final class RecordingProgress implements ProgressListener {
        final List<String> phases = new ArrayList<>();
        final java.util.Map<String, Integer> lastDone = new java.util.HashMap<>();

        @Override
        public void started(String phase, int steps) {
            phases.add("started " + phase + " " + steps);
        }

        @Override
        public void advanced(String phase, int done, int steps) {
            lastDone.put(phase, done);
        }

        @Override
        public void finished(String phase) {
            phases.add("finished " + phase);
        }
    }
}
