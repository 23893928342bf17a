package io.capxai.probing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CaptionSetTest {
    @TempDir
    Path dir;

    @Test
    void defaultIsThePapersFourCaptions() {
        CaptionSet set = CaptionSet.coloredMnist();
        assertEquals(List.of("a photo of a digit with the value 5.", "a photo of a digit with the value 8.",
                "a photo of a green digit.", "a photo of a red digit."), set.texts());
        assertEquals(List.of("shape", "colour"), set.conceptNames());
        assertEquals(1, set.conceptIndexOf(3));
        assertEquals("red", set.caption(3).label());
        assertEquals("8", set.caption(1).label());
    }

    @Test
    void jsonAndYamlFilesReadTheSameSet() throws IOException {
        Path json = dir.resolve("captions.json");
        Files.writeString(json, """
                {"concepts":[{"name":"shape","captions":[{"text":"a photo of a digit with the value 5.","label":"5"},
                  {"text":"a photo of a digit with the value 8.","label":"8"}]},
                 {"name":"colour","captions":[{"text":"a photo of a green digit.","label":"green"},
                  {"text":"a photo of a red digit.","label":"red"}]}]}
                """);
        Path yaml = dir.resolve("captions.yaml");
        Files.writeString(yaml, """
                concepts:
                  - name: shape
                    captions:
                      - {text: "a photo of a digit with the value 5.", label: "5"}
                      - {text: "a photo of a digit with the value 8.", label: "8"}
                  - name: colour
                    captions:
                      - {text: "a photo of a green digit.", label: green}
                      - {text: "a photo of a red digit.", label: red}
                """);
        assertEquals(CaptionSet.coloredMnist(), CaptionSet.load(json));
        assertEquals(CaptionSet.coloredMnist(), CaptionSet.load(yaml));
    }

    @Test
    void badFilesGiveClearErrors() throws IOException {
        assertThrows(NoSuchFileException.class, () -> CaptionSet.load(dir.resolve("missing.json")));
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"concepts\":[{\"name\":\"shape\",");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CaptionSet.load(broken));
        assertTrue(e.getMessage().contains("broken.json"), e.getMessage());
        Path noLabel = dir.resolve("nolabel.json");
        Files.writeString(noLabel, "{\"concepts\":[{\"name\":\"shape\",\"captions\":[{\"text\":\"a 5\"}]}]}");
        e = assertThrows(IllegalArgumentException.class, () -> CaptionSet.load(noLabel));
        assertTrue(e.getMessage().contains("has no label"), e.getMessage());
        Path twice = dir.resolve("twice.yml");
        Files.writeString(twice, "concepts:\n - {name: a, captions: [{text: x, label: '1'}]}\n - {name: a, captions: [{text: y, label: '2'}]}\n");
        e = assertThrows(IllegalArgumentException.class, () -> CaptionSet.load(twice));
        assertTrue(e.getMessage().contains("appears twice"), e.getMessage());
    }
}
