package io.capxai.probing;

/**
 * How many images' top caption fell into one concept: with the image's own label for that
 * concept ({@code correct}), with another label ({@code wrong}), and both ({@code total}, the
 * concept share). All are shares of all evaluated images.
 */
public record ConceptHits(String concept, Share correct, Share wrong, Share total) {}
