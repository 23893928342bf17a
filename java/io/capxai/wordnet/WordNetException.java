package io.capxai.wordnet;

/** A concept that WordNet cannot resolve, or WordNet data that cannot be read. */
public final class WordNetException extends RuntimeException {
    public WordNetException(String message) {
        super(message);
    }

    public WordNetException(String message, Throwable cause) {
        super(message, cause);
    }
}
