package io.capxai.data;

import java.util.ArrayList;
import java.util.List;

/** Grey images with one class label each, as read from an IDX image file and its label file. */
public record IdxDataset(String name, IdxImages images, byte[] labels) {
    public IdxDataset {
        if (images.count() != labels.length) {
            throw new IllegalArgumentException(name + ": " + images.count() + " images but " + labels.length + " labels");
        }
    }

    public static IdxDataset read(String name, java.nio.file.Path imagesFile, java.nio.file.Path labelsFile) {
        return new IdxDataset(name, IdxFile.readImages(imagesFile), IdxFile.readLabels(labelsFile));
    }

    public int size() {
        return labels.length;
    }

    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** Indices of all images with the given label, in file order. */
    public List<Integer> indicesOf(int label) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) == label) {
                out.add(i);
            }
        }
        return out;
    }
}
