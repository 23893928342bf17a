package io.capxai.tensors;

import java.nio.file.Path;

/**
 * The project-owned directory where fetched data (npm packages, datasets) is cached.
 *
 * <p>Resolved in this order: system property {@code capxai.cache}, environment variable
 * {@code CAPXAI_CACHE}, then {@code ~/.cache/capxai}. Nothing here creates the directory;
 * the writers do, when they first need it.
 */
public final class CacheDir {
    public static final String PROPERTY = "capxai.cache";
    public static final String ENV = "CAPXAI_CACHE";

    private CacheDir() {}

    public static Path root() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".cache", "capxai");
    }

    /** {@code root()/first/more...} */
    public static Path resolve(String first, String... more) {
        return root().resolve(Path.of(first, more));
    }
}
