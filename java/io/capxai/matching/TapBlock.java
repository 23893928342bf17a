package io.capxai.matching;

/**
 * One tap's channels inside a score matrix axis: rows {@code offset .. offset+channels-1}
 * (or columns) belong to tap {@code name}, whose maps are {@code height x width}.
 */
public record TapBlock(String name, int offset, int channels, int height, int width) implements java.io.Serializable {
    public TapBlock {
        if (channels <= 0 || height <= 0 || width <= 0 || offset < 0) {
            throw new IllegalArgumentException("bad tap block " + name + ": offset " + offset + ", "
                    + channels + " channels of " + height + "x" + width);
        }
    }

    public boolean contains(int index) {
        return index >= offset && index < offset + channels;
    }
}
