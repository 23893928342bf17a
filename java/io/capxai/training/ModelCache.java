package io.capxai.training;

import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.capxai.tensors.CacheDir;

import io.capxai.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Trained models under {@code CacheDir.root()/models/KIND-KEY/}, where KEY digests the configuration
 * and the data checksum: the same request finds the earlier run's {@code model.safetensors} and
 * {@code summary.json}. A run writes into a temporary folder and renames it, so a crashed run
 * never leaves a half-written entry.
 */
final class ModelCache {
    static final String MODEL_FILE = "model.safetensors";
    static final String SUMMARY_FILE = "summary.json";
    private static final ObjectWriter KEY_JSON = Json.MAPPER.writer(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ModelCache() {}

    /** The cache folder of a run of {@code kind} with {@code config} on data {@code dataChecksum}. */
    static Path entry(String kind, Map<String, Object> config, String dataChecksum) {
        String canonical;
        try {
            // Sorted keys: Map.of's iteration order changes from one JVM run to the next, and the
            // key must not (an unsorted key made every other run retrain).
            canonical = KEY_JSON.writeValueAsString(Map.of("config", config, "data", dataChecksum));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return CacheDir.resolve("models", kind + "-" + sha256(canonical).substring(0, 16));
    }

    /** The model of {@code entry} when both its files exist. */
    static TrainedModel lookup(Path entry) {
        Path model = entry.resolve(MODEL_FILE);
        Path summary = entry.resolve(SUMMARY_FILE);
        if (!Files.isRegularFile(model) || !Files.isRegularFile(summary)) {
            return null;
        }
        try {
            return new TrainedModel(model, summary, Json.MAPPER.readValue(summary.toFile(), TrainingSummary.class), true);
        } catch (IOException e) {
            System.err.println("capxai: ignoring unreadable cached summary " + summary + ": " + e.getMessage());
            return null;
        }
    }

    /** Moves a finished run's folder {@code staged} to {@code entry} (replacing a broken entry). */
    static TrainedModel publish(Path staged, Path entry, TrainingSummary summary) {
        try {
            Json.PRETTY.writeValue(staged.resolve(SUMMARY_FILE).toFile(), summary);
            if (Files.exists(entry)) {
                try (var files = Files.walk(entry)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(entry.getParent());
            Files.move(staged, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the trained model in " + entry + ": " + e.getMessage(), e);
        }
        return new TrainedModel(entry.resolve(MODEL_FILE), entry.resolve(SUMMARY_FILE), summary, false);
    }

    /** A fresh folder beside the cache entries to train into. */
    static Path staging(String kind) {
        try {
            Path models = CacheDir.resolve("models");
            Files.createDirectories(models);
            return Files.createTempDirectory(models, "." + kind + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder under " + CacheDir.resolve("models"), e);
        }
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
