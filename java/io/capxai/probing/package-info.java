/**
 * Captions and the verdict (docs/method.md#caption-probe-and-verdict): caption concepts ({@link io.capxai.probing.CaptionSet}),
 * the images' true labels ({@link io.capxai.probing.ImageLabels}), and the per-image comparison
 * of caption similarities before and after surgery ({@link io.capxai.probing.Verdict}).
 */
package io.capxai.probing;
