package io.capxai.training;

import io.capxai.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Results of long runs that are not models (e.g. the audit of a random-weight control) cached as
 * one JSON file beside the trained models, under the same kind of key: the configuration and the
 * data checksum, digested ({@link ModelCache#entry}). The file is written under a temporary name
 * and renamed, so a crashed run never leaves a half-written result.
 */
public final class ResultCache {
    static final String RESULT_FILE = "result.json";

    private ResultCache() {}

    /** The cached result of {@code kind} with {@code config} on {@code data}, else {@code compute}'s, then cached. */
    public static <T> Cached<T> getOrCompute(String kind, Map<String, Object> config, String data, Class<T> type,
                                             Supplier<T> compute) {
        Path file = ModelCache.entry(kind, config, data).resolve(RESULT_FILE);
        if (Files.isRegularFile(file)) {
            try {
                return new Cached<>(Json.MAPPER.readValue(file.toFile(), type), true);
            } catch (IOException e) {
                System.err.println("capxai: ignoring unreadable cached result " + file + ": " + e.getMessage());
            }
        }
        T value = compute.get();
        try {
            Files.createDirectories(file.getParent());
            Path staged = Files.createTempFile(file.getParent(), ".result-", ".json");
            Json.PRETTY.writeValue(staged.toFile(), value);
            Files.move(staged, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot cache the result in " + file + ": " + e.getMessage(), e);
        }
        return new Cached<>(value, false);
    }

    /** A result and whether an earlier run's file supplied it. */
    public record Cached<T>(T value, boolean fromCache) {}
}
