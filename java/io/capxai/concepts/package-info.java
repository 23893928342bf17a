/**
 * ConVis (docs/method.md#convis): saliency maps for any WordNet concept on a CLIP embedding, without gradients.
 *
 * <ul>
 *   <li>{@link io.capxai.concepts.ConceptHierarchy}: the hierarchy T (a vocabulary closed under
 *       hypernyms, or all nouns) and concept subtrees.</li>
 *   <li>{@link io.capxai.concepts.ConceptEmbeddings}: the normalised gloss (or lemma) embedding of
 *       every synset, cached on disk per model and hierarchy.</li>
 *   <li>{@link io.capxai.concepts.ConceptRanks}: ranks of all synsets for a batch of box
 *       embeddings, one matrix product.</li>
 *   <li>{@link io.capxai.concepts.ConVis}: boxes over a noise-bordered canvas
 *       ({@link io.capxai.concepts.SweepGeometry}), the one-sweep {@link io.capxai.concepts.RankSweep},
 *       grid and stochastic maps ({@link io.capxai.concepts.SaliencyAccumulator}).</li>
 *   <li>{@link io.capxai.concepts.OodDetection} (AUROC) and {@link io.capxai.evaluation.Localisation}
 *       (pointing game, box mass, MaxBoxAcc); {@link io.capxai.evaluation.ConceptBenchmark} runs them on
 *       real Fashion-MNIST / MNIST items in synthetic scenes for any
 *       {@link io.capxai.attribution.Attribution}.</li>
 * </ul>
 * ConVis behind the shared interface is {@link io.capxai.evaluation.ConVisAttribution}.
 */
package io.capxai.concepts;
