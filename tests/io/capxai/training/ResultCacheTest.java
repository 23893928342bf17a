package io.capxai.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultCacheTest {
    record Sims(float[][] rows) {}

    @Test
    void computesOnceThenReadsTheFileAndKeysByConfigAndData(@TempDir Path temp) throws IOException {
        try (TestCache cache = new TestCache(temp)) {
            AtomicInteger runs = new AtomicInteger();
            float[][] rows = {{0.25f, -1f}, {3f, Float.MIN_VALUE}};
            Map<String, Object> config = Map.of("architecture", "ResNet-18", "seed", 3L);
            ResultCache.Cached<Sims> first = ResultCache.getOrCompute("control-audit", config, "data-a", Sims.class, () -> {
                runs.incrementAndGet();
                return new Sims(rows);
            });
            ResultCache.Cached<Sims> second = ResultCache.getOrCompute("control-audit", config, "data-a", Sims.class, () -> {
                runs.incrementAndGet();
                return new Sims(new float[0][]);
            });
            assertFalse(first.fromCache());
            assertTrue(second.fromCache());
            assertEquals(1, runs.get());
            for (int i = 0; i < rows.length; i++) {
                assertArrayEquals(rows[i], second.value().rows()[i], "floats survive the JSON round trip exactly");
            }
            ResultCache.getOrCompute("control-audit", Map.of("architecture", "ResNet-18", "seed", 4L), "data-a", Sims.class,
                    () -> new Sims(rows));
            assertFalse(ResultCache.getOrCompute("control-audit", config, "data-b", Sims.class, () -> new Sims(rows)).fromCache());
            assertTrue(cache.root.resolve("models").toFile().list().length >= 3);
        }
    }
}
