package io.capxai.audit;

import io.capxai.kernels.Backends;
import io.capxai.matching.ActivationSource;
import io.capxai.matching.FusedMatcher;
import io.capxai.matching.ImageShard;
import io.capxai.matching.MatchPartial;
import io.capxai.matching.Partials;
import io.capxai.models.ImageModel;
import io.capxai.progress.ProgressListener;
import io.capxai.progress.SharedProgress;
import io.capxai.tensors.Device;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;

/**
 * One worker per device ({@code --devices cuda:0,cuda:1}), each with its own copy of both models on
 * its device. A phase's images are split into contiguous shares, one per worker; the workers run at
 * once, each on its own thread, and their results come back in worker order, which is image order.
 * The first worker uses the models it is given (moved to its device in place), the others copies.
 */
public final class DeviceWorkers {
    /** One worker: its device and its models there ({@code clip} is CLIP's image tower). */
    public record Worker(Device device, ImageModel standalone, ImageModel clip) {}

    /**
     * A worker's part of a phase: shard {@code shard} of the phase's items, the positions (0-based,
     * ascending, contiguous) it covers, and the listener its progress goes to.
     */
    public record Share(ImageShard shard, int[] positions, ProgressListener progress) {}

    /** What a worker does with its share. */
    @FunctionalInterface
    public interface Task<T> {
        T run(Worker worker, Share share);
    }

    private final List<Worker> workers;

    private DeviceWorkers(List<Worker> workers) {
        this.workers = List.copyOf(workers);
    }

    /**
     * Workers on {@code devices} (concrete ones, as {@link Device#resolveAll} returns): the given
     * models move to the first device, and every other device gets copies ({@link ImageModel#copyTo}).
     */
    public static DeviceWorkers of(List<Device> devices, ImageModel standalone, ImageModel clipTower) {
        if (devices.isEmpty()) {
            throw new IllegalArgumentException("devices: the list is empty; name at least one device");
        }
        List<Worker> out = new ArrayList<>();
        Device first = devices.getFirst();
        standalone.state().to(first.torch());
        clipTower.state().to(first.torch());
        out.add(new Worker(first, standalone, clipTower));
        for (Device d : devices.subList(1, devices.size())) {
            out.add(new Worker(d, standalone.copyTo(d.torch()), clipTower.copyTo(d.torch())));
        }
        return new DeviceWorkers(out);
    }

    public int count() {
        return workers.size();
    }

    public List<Device> devices() {
        return workers.stream().map(Worker::device).toList();
    }

    public Worker first() {
        return workers.getFirst();
    }

    /**
     * Runs {@code task} on every worker at once, worker i on share i of {@code total} items; one
     * phase of progress ({@code batchSize} items a step) for all. Workers whose share is empty (fewer
     * items than workers) do not run. One worker runs on the calling thread. The first failure is
     * thrown once every worker has stopped, the others' attached as suppressed.
     */
    public <T> List<T> each(int total, int batchSize, ProgressListener progress, String phase, Task<T> task) {
        if (workers.size() == 1) {
            return List.of(task.run(first(), new Share(ImageShard.ALL, range(0, total), progress)));
        }
        List<Integer> active = new ArrayList<>();
        int steps = 0;
        for (int i = 0; i < workers.size(); i++) {
            int items = new ImageShard(i, workers.size(), true).indices(total).length;
            if (items > 0 || (total == 0 && i == 0)) {
                active.add(i);
                steps += (items + batchSize - 1) / batchSize;
            }
        }
        SharedProgress shared = new SharedProgress(progress, phase, steps);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(active.size(),
                Thread.ofPlatform().name("capxai-" + phase + "-", 0).factory())) {
            for (int i : active) {
                ImageShard shard = new ImageShard(i, workers.size(), true);
                Share share = new Share(shard, shard.indices(total), shared.worker());
                futures.add(pool.submit(() -> task.run(workers.get(i), share)));
            }
        } // close() waits for every worker
        shared.finished();
        return results(futures);
    }

    /**
     * The statistics pass split over the workers: each worker's partial over its share, from the
     * activation source {@code sources} gives it, merged exactly ({@link Partials#merge}).
     */
    public MatchPartial partial(int total, int batchSize, ProgressListener progress, Backends kernels,
                                BiFunction<Worker, Share, ActivationSource> sources) {
        return Partials.merge(each(total, batchSize, progress, "statistics",
                (w, s) -> new FusedMatcher(kernels).partial(sources.apply(w, s)).describedAs(Map.of(), s.shard())));
    }

    /** {@code indices[positions[k]]} for every k: a share's items of a phase over {@code indices}. */
    static int[] pick(int[] indices, int[] positions) {
        int[] out = new int[positions.length];
        for (int k = 0; k < positions.length; k++) {
            out[k] = indices[positions[k]];
        }
        return out;
    }

    private static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    private static <T> List<T> results(List<Future<T>> futures) {
        List<T> out = new ArrayList<>();
        Throwable failure = null;
        for (Future<T> f : futures) {
            if (f.state() == Future.State.SUCCESS) {
                out.add(f.resultNow());
            } else if (failure == null) {
                failure = f.exceptionNow();
            } else {
                failure.addSuppressed(f.exceptionNow());
            }
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        return out;
    }
}
