/**
 * Named points of a forward pass: {@link io.capxai.taps.TapSet} captures, replaces or observes module
 * outputs for exactly one call (JavaCPP has no forward hooks: models call {@code at(name, x)}
 * explicitly); {@link io.capxai.taps.TapShape} lists a point's output shape from a dry run.
 */
package io.capxai.taps;
