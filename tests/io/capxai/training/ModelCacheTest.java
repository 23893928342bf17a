package io.capxai.training;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ModelCacheTest {
    @Test
    void theKeyDependsOnTheContentNotOnMapOrder() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("steps", 10);
        a.put("seed", 0);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("seed", 0);
        b.put("steps", 10);
        assertEquals(ModelCache.entry("clip", a, "data"), ModelCache.entry("clip", b, "data"));
        // the JVM run to run: the same request must find the same folder
        assertEquals(ModelCache.entry("clip", a, "data"), ModelCache.entry("clip", new LinkedHashMap<>(a), "data"));
        b.put("steps", 11);
        assertNotEquals(ModelCache.entry("clip", a, "data"), ModelCache.entry("clip", b, "data"));
        assertNotEquals(ModelCache.entry("clip", a, "data"), ModelCache.entry("clip", a, "other data"));
    }
}
