package io.capxai.probing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.capxai.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The captions of an audit, grouped by concept (docs/method.md#caption-probe-and-verdict). Captions are numbered in file order
 * across concepts; similarity matrices use that numbering for their columns.
 *
 * <p>File format (JSON, or the same structure in YAML):
 * <pre>{"concepts":[{"name":"shape","captions":[{"text":"a photo of a digit with the value 5.","label":"5"}, ...]},
 *               {"name":"colour","captions":[...]}]}</pre>
 */
public record CaptionSet(List<Concept> concepts) {
    public CaptionSet {
        if (concepts == null || concepts.isEmpty()) {
            throw new IllegalArgumentException("a caption set needs at least one concept");
        }
        concepts = List.copyOf(concepts);
        Set<String> names = new HashSet<>();
        Set<String> texts = new HashSet<>();
        for (Concept c : concepts) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("concept '" + c.name() + "' appears twice");
            }
            for (Caption caption : c.captions()) {
                if (!texts.add(caption.text())) {
                    throw new IllegalArgumentException("caption '" + caption.text() + "' appears twice");
                }
            }
        }
    }

    /** The paper's four captions for colored MNIST (digits 5 and 8, red and green). */
    public static CaptionSet coloredMnist() {
        return new CaptionSet(List.of(
                new Concept("shape", List.of(
                        new Caption("a photo of a digit with the value 5.", "5"),
                        new Caption("a photo of a digit with the value 8.", "8"))),
                new Concept("colour", List.of(
                        new Caption("a photo of a green digit.", "green"),
                        new Caption("a photo of a red digit.", "red")))));
    }

    /** Reads a JSON file, or YAML when the name ends in {@code .yaml} / {@code .yml}. */
    public static CaptionSet load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "caption file not found");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml") ? Json.YAML : Json.MAPPER;
        try {
            CaptionSet set = mapper.readerFor(CaptionSet.class).with(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                    .readValue(file.toFile());
            if (set == null) {
                throw new IllegalArgumentException("caption file " + file + " is empty");
            }
            return set;
        } catch (JacksonException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            throw new IllegalArgumentException("caption file " + file + " is not a valid caption set: "
                    + cause.getMessage(), e);
        }
    }

    /** All caption texts in column order (what the text encoder embeds). */
    public List<String> texts() {
        List<String> out = new ArrayList<>();
        for (Concept c : concepts) {
            for (Caption caption : c.captions()) {
                out.add(caption.text());
            }
        }
        return out;
    }

    public int size() {
        int n = 0;
        for (Concept c : concepts) {
            n += c.captions().size();
        }
        return n;
    }

    public List<String> conceptNames() {
        return concepts.stream().map(Concept::name).toList();
    }

    /** The caption in column {@code index}. */
    public Caption caption(int index) {
        return concepts.get(conceptIndexOf(index)).captions().get(index - firstColumnOf(conceptIndexOf(index)));
    }

    /** Which concept (index into {@link #concepts()}) caption column {@code index} belongs to. */
    public int conceptIndexOf(int index) {
        int start = 0;
        for (int c = 0; c < concepts.size(); c++) {
            int n = concepts.get(c).captions().size();
            if (index >= start && index < start + n) {
                return c;
            }
            start += n;
        }
        throw new IndexOutOfBoundsException("caption column " + index + " outside 0.." + (size() - 1));
    }

    private int firstColumnOf(int concept) {
        int start = 0;
        for (int c = 0; c < concept; c++) {
            start += concepts.get(c).captions().size();
        }
        return start;
    }
}
