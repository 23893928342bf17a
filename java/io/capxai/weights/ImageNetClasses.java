package io.capxai.weights;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The 1,000 ImageNet-1k classes in the order classifiers number them: class index i is the i-th
 * WordNet id in sorted order ({@code n01440764} tench = 0, ..., {@code n15075141} toilet
 * tissue = 999). WordNet ids are WordNet 3.0 noun offsets ({@code n01440764} = noun synset
 * 01440764), which links each class to extjwnl.
 *
 * <p>Source: Debian package {@code darknet} (not installed; {@code apt-get download darknet} and
 * {@code dpkg -x darknet_*.deb DIR} into a cache, which skips its dependencies), files
 * {@code DIR/usr/share/darknet/data/imagenet.labels.list} (WordNet ids, one per line; the first
 * 1,000 lines are the ImageNet-1k classes, the rest ImageNet-22k) and
 * {@code imagenet.shortnames.list} (a readable name for each line, same order). The fetching
 * into a cache is done by the caller; this class only reads the two files.
 */
public final class ImageNetClasses {
    public static final int COUNT = 1000;
    private static final Pattern WNID = Pattern.compile("n\\d{8}");

    private final List<String> wnids;
    private final List<String> names;
    private final Map<String, Integer> index;

    private ImageNetClasses(List<String> wnids, List<String> names) {
        this.wnids = List.copyOf(wnids);
        this.names = List.copyOf(names);
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < wnids.size(); i++) {
            idx.put(wnids.get(i), i);
        }
        this.index = Map.copyOf(idx);
    }

    /** Reads darknet's {@code imagenet.labels.list} and {@code imagenet.shortnames.list} from {@code dataDir}. */
    public static ImageNetClasses readDarknet(Path dataDir) {
        return read(dataDir.resolve("imagenet.labels.list"), dataDir.resolve("imagenet.shortnames.list"));
    }

    /**
     * Reads WordNet ids from {@code labelsList} and names from {@code namesList} (line i of one
     * names line i of the other); keeps the first 1,000 and numbers them in sorted id order.
     */
    public static ImageNetClasses read(Path labelsList, Path namesList) {
        List<String> ids = firstLines(labelsList);
        List<String> shortNames = firstLines(namesList);
        if (ids.size() < COUNT || shortNames.size() < COUNT) {
            throw new WeightsException("ImageNet class lists need at least " + COUNT + " lines: " + labelsList + " has "
                    + ids.size() + ", " + namesList + " has " + shortNames.size());
        }
        Map<String, String> nameOf = new HashMap<>();
        for (int i = 0; i < COUNT; i++) {
            String id = ids.get(i).trim();
            if (!WNID.matcher(id).matches()) {
                throw new WeightsException(labelsList + ": line " + (i + 1) + " '" + id + "' is not a WordNet id like n01440764");
            }
            if (nameOf.put(id, shortNames.get(i).trim()) != null) {
                throw new WeightsException(labelsList + ": WordNet id " + id + " appears twice among the first " + COUNT + " lines");
            }
        }
        List<String> sorted = new ArrayList<>(nameOf.keySet());
        Collections.sort(sorted);
        List<String> sortedNames = new ArrayList<>();
        for (String id : sorted) {
            sortedNames.add(nameOf.get(id));
        }
        return new ImageNetClasses(sorted, sortedNames);
    }

    public int size() {
        return wnids.size();
    }

    /** The WordNet id of class {@code index}, e.g. "n07747607" for 950. */
    public String wnid(int index) {
        return wnids.get(check(index));
    }

    /** The short readable name of class {@code index}, e.g. "orange" for 950. */
    public String name(int index) {
        return names.get(check(index));
    }

    /** The WordNet 3.0 noun synset offset of class {@code index} (7747607 for "n07747607"). */
    public long wordNetOffset(int index) {
        return Long.parseLong(wnid(index).substring(1));
    }

    /** The class index of {@code wnid}; a {@link WeightsException} if it is not an ImageNet-1k class. */
    public int indexOf(String wnid) {
        Integer i = index.get(wnid);
        if (i == null) {
            throw new WeightsException("'" + wnid + "' is not one of the " + COUNT + " ImageNet-1k WordNet ids");
        }
        return i;
    }

    /** All WordNet ids in class order. */
    public List<String> wnids() {
        return wnids;
    }

    /** All names in class order. */
    public List<String> names() {
        return names;
    }

    private int check(int index) {
        if (index < 0 || index >= wnids.size()) {
            throw new IndexOutOfBoundsException("ImageNet class index " + index + " outside 0.." + (wnids.size() - 1));
        }
        return index;
    }

    private static List<String> firstLines(Path file) {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.limit(COUNT).toList();
        } catch (NoSuchFileException e) {
            throw new WeightsException("ImageNet class list not found: " + file, e);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new WeightsException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
