package io.capxai.weights;

import io.capxai.testing.ExternalData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageNetClassesTest {

    @Test
    void classesAreNumberedInSortedWordNetIdOrder(@TempDir Path dir) throws IOException {
        // 1,000 ids written in descending order with names "c<id>", then 22k-style extra lines
        List<String> ids = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 999; i >= 0; i--) {
            ids.add(String.format("n%08d", 1000 + 7 * i));
            names.add("c" + i);
        }
        ids.add("n00000001");
        names.add("not in the first thousand");
        Files.write(dir.resolve("imagenet.labels.list"), ids);
        Files.write(dir.resolve("imagenet.shortnames.list"), names);

        ImageNetClasses classes = ImageNetClasses.readDarknet(dir);
        assertEquals(1000, classes.size());
        assertEquals("n00001000", classes.wnid(0));
        assertEquals("c0", classes.name(0));
        assertEquals("c999", classes.name(999));
        assertEquals(1000 + 7 * 5, classes.wordNetOffset(5));
        assertEquals(5, classes.indexOf(String.format("n%08d", 1035)));
        assertThrows(WeightsException.class, () -> classes.indexOf("n00000001"));
        assertThrows(IndexOutOfBoundsException.class, () -> classes.name(1000));
    }

    @Test
    void badListsAreRejectedNamingTheFile(@TempDir Path dir) throws IOException {
        Path labels = dir.resolve("labels");
        Path names = dir.resolve("names");
        Files.write(labels, List.of("n01440764", "n01443537"));
        Files.write(names, List.of("tench", "goldfish"));
        WeightsException shortList = assertThrows(WeightsException.class, () -> ImageNetClasses.read(labels, names));
        assertTrue(shortList.getMessage().contains("at least 1000"), shortList.getMessage());

        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            bad.add(i == 17 ? "tench" : String.format("n%08d", i));
        }
        Files.write(labels, bad);
        Files.write(names, bad);
        WeightsException notAnId = assertThrows(WeightsException.class, () -> ImageNetClasses.read(labels, names));
        assertTrue(notAnId.getMessage().contains("line 18"), notAnId.getMessage());

        WeightsException missing = assertThrows(WeightsException.class,
                () -> ImageNetClasses.read(dir.resolve("absent"), names));
        assertTrue(missing.getMessage().contains("absent"), missing.getMessage());
    }

    @Test
    void darknetListsGiveTheStandardImageNetOrder() {
        ImageNetClasses classes = ImageNetClasses.readDarknet(ExternalData.darknetData());
        assertEquals("n01440764", classes.wnid(0));
        assertEquals("tench", classes.name(0));
        assertEquals("goldfish", classes.name(1));
        assertEquals("n07747607", classes.wnid(950));
        assertEquals("orange", classes.name(950));
        assertEquals("n15075141", classes.wnid(999));
        assertEquals("toilet tissue", classes.name(999));
    }
}
