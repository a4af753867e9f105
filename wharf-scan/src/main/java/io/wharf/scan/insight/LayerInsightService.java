package io.wharf.scan.insight;

import io.wharf.core.error.ManifestUnknownException;
import io.wharf.core.event.ImagePushedSubscriber;
import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.model.Digest;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.InsightIndex;
import io.wharf.core.spi.InsightIndex.InsightRequest;
import io.wharf.core.spi.InsightIndex.LayerInsight;
import io.wharf.core.spi.InsightIndex.QueuedImage;
import io.wharf.core.spi.InsightIndex.Status;
import io.wharf.core.spi.Repository;
import io.wharf.core.spi.StoredManifest;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Layer insight as the APIs and the console see it (protocol-free, docs/layer-insight.md): an image's figures
 * derived from its per-layer records in order, a layer's tree in the image's context, and the work queue. A
 * layer is read once per digest, by the {@code insight} job; asking for an image whose layers are not all read
 * queues it and answers PENDING.
 */
public final class LayerInsightService {
    /** The event subscriber that {@link #request requests} insight of every pushed image. */
    public static final String ON_PUSH_SUBSCRIBER = "insight-on-push";

    private static final Logger LOG = LoggerFactory.getLogger(LayerInsightService.class);
    /** Records of layers garbage collection deleted are looked for this often (a scan of the records' table). */
    static final java.time.Duration PRUNE_EVERY = java.time.Duration.ofHours(1);
    private static final int PRUNE_BATCH = 1000;
    /** Figures and trees computed at once in this process: each holds up to insight.max-image-entries entries. */
    static final int CONCURRENT_ANSWERS = 2;

    private final Registry registry;
    private final InsightSettings settings;
    private final LayerRecords records;
    private final Clock clock;
    private final Runnable wake;
    private final java.util.concurrent.Semaphore answering = new java.util.concurrent.Semaphore(CONCURRENT_ANSWERS, true);
    /** When this process looks for records to prune next: only a pace, losing it costs one early scan. */
    private volatile java.time.Instant nextPrune = java.time.Instant.MIN;

    /** @param wake asks for a run of the {@code insight} job soon (after an image was queued) */
    public LayerInsightService(Registry registry, InsightSettings settings, Clock clock, Runnable wake) {
        this.registry = registry;
        this.settings = settings;
        this.records = new LayerRecords(registry.metadata().insights(), registry.blobs(), settings, clock);
        this.clock = clock;
        this.wake = wake;
    }

    public InsightSettings settings() {
        return settings;
    }

    private InsightIndex insights() {
        return registry.metadata().insights();
    }

    /** The image's insight (an index: its platforms); queues it when a layer is not read yet (PENDING). */
    public ImageInsight image(RepoKey key, Digest digest) {
        Repository repo = registry.repositories().get(key);
        StoredManifest manifest = manifest(repo, key, digest);
        if (ImageLayers.isIndex(manifest)) {
            return ImageInsight.index(digest, ImageLayers.platforms(manifest));
        }
        List<ImageLayers.Layer> layers = ImageLayers.layers(manifest);
        List<Optional<LayerInsight>> found = layers.stream().map(l -> records.current(l.digest())).toList();
        if (found.stream().anyMatch(Optional::isEmpty)) {
            request(repo, digest);
            return ImageInsight.incomplete(digest, ImageInsight.PENDING, "layers not read yet are queued",
                    partial(layers, found.stream().map(o -> o.orElse(null)).toList()));
        }
        return figures(digest, layers, found.stream().map(Optional::get).toList());
    }

    /** The figures from the layers' records, when every layer was read and the image is within the entry limit. */
    private ImageInsight figures(Digest digest, List<ImageLayers.Layer> layers, List<LayerInsight> found) {
        for (LayerInsight r : found) {
            if (r.status() != Status.COMPLETE) {
                return ImageInsight.incomplete(digest, r.status().name(), r.detail(), partial(layers, found));
            }
        }
        long entries = found.stream().mapToLong(LayerInsight::entries).sum();
        if (entries > settings.maxImageEntries()) {
            return ImageInsight.incomplete(digest, Status.TOO_LARGE.name(), "the layers hold " + entries
                    + " entries, more than insight.max-image-entries " + settings.maxImageEntries(),
                    partial(layers, found));
        }
        return bounded(() -> {
            List<ImageFigures.ReadLayer> read = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                read.add(new ImageFigures.ReadLayer(layers.get(i).digest(), layers.get(i).size(), records.entries(found.get(i))));
            }
            return ImageFigures.compute(digest, read);
        });
    }

    /**
     * Each layer with its record's status and its own totals only (the figures that need the other layers are 0);
     * a null record: not read yet (PENDING).
     */
    private static List<LayerFigures> partial(List<ImageLayers.Layer> layers, List<LayerInsight> found) {
        List<LayerFigures> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            ImageLayers.Layer l = layers.get(i);
            LayerInsight r = found.get(i);
            out.add(r == null ? LayerFigures.without(i, l.digest(), l.size(), ImageInsight.PENDING, null)
                    : new LayerFigures(i, l.digest(), l.size(), r.status().name(), r.detail(), r.entries(), r.fileBytes(),
                    0, 0, 0, 0, 0, 0, 0, 0, 0));
        }
        return out;
    }

    /**
     * The children of {@code path} (a directory; "" or "/" the root) as the image's layer {@code layer} changes
     * them, by name after {@code after}, at most {@code limit}; null when the layer is not read yet (the image is
     * queued). The image's other layers are read too: those above tell which files are wasted.
     * {@link ParameterInvalidException} for a path that climbs out of the root, a limit out of range, an index or a
     * layer the image does not have, a layer that could not be read, or layers holding more than
     * {@code insight.max-image-entries} entries together.
     */
    public TreePage tree(RepoKey key, Digest image, Digest layer, String path, String after, int limit) {
        if (limit < 1 || limit > settings.maxPageSize()) {
            throw new ParameterInvalidException("limit must be 1 to " + settings.maxPageSize(), String.valueOf(limit));
        }
        String dir = LayerTree.directory(path);
        Repository repo = registry.repositories().get(key);
        StoredManifest manifest = manifest(repo, key, image);
        if (ImageLayers.isIndex(manifest)) {
            throw new ParameterInvalidException(image + " is an index: ask for the digest of one of its platforms", image.toString());
        }
        List<ImageLayers.Layer> layers = ImageLayers.layers(manifest);
        int index = indexOf(layers, layer, image);
        List<LayerInsight> below = new ArrayList<>(); // every layer: those above tell which files are wasted
        for (int i = 0; i < layers.size(); i++) {
            Optional<LayerInsight> r = records.current(layers.get(i).digest());
            if (r.isEmpty()) {
                request(repo, image);
                return null;
            }
            if (r.get().status() != Status.COMPLETE) {
                throw new ParameterInvalidException("layer " + r.get().layer() + " was not read: " + r.get().detail(),
                        r.get().layer().toString());
            }
            below.add(r.get());
        }
        long entries = below.stream().mapToLong(LayerInsight::entries).sum();
        if (entries > settings.maxImageEntries()) {
            throw new ParameterInvalidException("the layers of " + image + " hold " + entries
                    + " entries, more than insight.max-image-entries " + settings.maxImageEntries(), layer.toString());
        }
        String[] next = new String[1];
        List<TreePage.Node> nodes = bounded(() -> new LayerTree(dir).page(records, below, index, after, limit, next));
        return new TreePage(image, layer, index, dir, nodes, next[0]);
    }

    /** Runs {@code work} holding one of the {@value #CONCURRENT_ANSWERS} permits, so memory stays bounded under load. */
    private <T> T bounded(java.util.function.Supplier<T> work) {
        try {
            answering.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to compute layer insight", e);
        }
        try {
            return work.get();
        } finally {
            answering.release();
        }
    }

    private static int indexOf(List<ImageLayers.Layer> layers, Digest layer, Digest image) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).digest().equals(layer)) {
                return i;
            }
        }
        throw new ParameterInvalidException("the image " + image + " has no layer " + layer, layer.toString());
    }

    private StoredManifest manifest(Repository repo, RepoKey key, Digest digest) {
        return registry.metadata().findManifest(repo.id(), digest).orElseThrow(() -> new ManifestUnknownException(
                "The image " + digest + " does not exist within the repository '" + key.name().value() + "'",
                digest.toString()));
    }

    /** Queues the image on demand and wakes the job when this queued it. False when insight is off or it was queued already. */
    public boolean request(Repository repo, Digest digest) {
        return enqueue(List.of(new QueuedImage(repo.id(), digest)));
    }

    /**
     * The on-push subscriber's action: queues a batch's pushed images in one write and wakes the job once when that
     * queued any (a run request is a write of its own).
     */
    public void queue(List<ImagePushedSubscriber.Pushed> images) {
        enqueue(images.stream().map(p -> new QueuedImage(p.repository().id(), p.image())).toList());
    }

    private boolean enqueue(List<QueuedImage> images) {
        boolean queued = settings.enabled() && insights().requestInsights(images, clock.instant()) > 0;
        if (queued) {
            wake.run();
        }
        return queued;
    }

    /** What one round of the job did: images taken off the queue, layers read. */
    public record Round(int images, int layers) {
    }

    /** The job's round: reads the missing layers of the oldest queued images (at most {@code insight.batch-size}). */
    public Round runQueued(BooleanSupplier cancelled) {
        int read = 0;
        List<QueuedImage> done = new ArrayList<>();
        try {
            for (InsightRequest r : insights().insightRequests(settings.batchSize())) {
                if (cancelled.getAsBoolean()) {
                    break;
                }
                read += analyse(new RepoKey(r.account(), r.repository()), r.repositoryId(), r.image());
                done.add(new QueuedImage(r.repositoryId(), r.image()));
            }
        } catch (RuntimeException | Error e) {
            finishAfter(e, done); // the images read before the failure are done all the same
            throw e;
        }
        // one write for the round's images (a crash before reads them again: their layers are known by then)
        insights().finishInsightRequests(done);
        return new Round(done.size(), read);
    }

    /** Finishes the images read before {@code failure}; a failure of that write is added to it, not put in its place. */
    private void finishAfter(Throwable failure, List<QueuedImage> done) {
        try {
            insights().finishInsightRequests(done);
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Drops the records of layers the registry no longer stores, at most once per {@link #PRUNE_EVERY} per process;
     * returns how many.
     */
    public int pruneIfDue(BooleanSupplier cancelled) {
        if (clock.instant().isBefore(nextPrune)) {
            return 0;
        }
        nextPrune = clock.instant().plus(PRUNE_EVERY);
        int total = 0;
        int round;
        do {
            round = insights().pruneLayerInsights(PRUNE_BATCH);
            total += round;
        } while (round == PRUNE_BATCH && !cancelled.getAsBoolean());
        return total;
    }

    /** Reads the image's layers that have no record yet (an index: its platforms' layers). */
    private int analyse(RepoKey key, long repositoryId, Digest image) {
        Optional<StoredManifest> manifest = registry.metadata().findManifest(repositoryId, image);
        if (manifest.isEmpty()) {
            return 0;
        }
        if (ImageLayers.isIndex(manifest.get())) {
            return ImageLayers.platforms(manifest.get()).stream()
                    .mapToInt(p -> analyse(key, repositoryId, p.digest())).sum();
        }
        int read = 0;
        try {
            for (ImageLayers.Layer layer : ImageLayers.layers(manifest.get())) {
                if (records.current(layer.digest()).isEmpty()) {
                    records.compute(key, layer);
                    read++;
                }
            }
        } catch (io.wharf.core.error.UnsupportedImageTypeException e) {
            LOG.debug("insight: {}@{} is not an image with tar layers", key, image);
        } catch (IOException | RuntimeException e) {
            LOG.warn("insight: reading the layers of {}@{} failed; asking for the image again queues it", key, image, e);
        }
        return read;
    }
}
