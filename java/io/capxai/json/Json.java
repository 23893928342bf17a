package io.capxai.json;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's Jackson mappers, built once (they are thread-safe and costly to build). Never
 * reconfigure them: derive a reader or writer with other features instead, e.g.
 * {@code Json.MAPPER.readerFor(X.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)}.
 */
public final class Json {
    /** JSON with Jackson's defaults: compact output; unknown properties fail when reading. */
    public static final ObjectMapper MAPPER = JsonMapper.builder().build();
    /** YAML with the same defaults (caption files). */
    public static final ObjectMapper YAML = YAMLMapper.builder().build();
    /** Indented JSON, for the files people read too (reports, summaries, benchmark results). */
    public static final ObjectWriter PRETTY = MAPPER.writer(SerializationFeature.INDENT_OUTPUT);

    private Json() {}

    /** Writes {@code value} as indented JSON to {@code file}, creating its folder. */
    public static void writePretty(Path file, Object value) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            PRETTY.writeValue(file.toFile(), value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
