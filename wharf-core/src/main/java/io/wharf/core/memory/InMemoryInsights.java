package io.wharf.core.memory;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.InsightIndex;
import io.wharf.core.spi.Repository;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/** {@link InsightIndex} in memory; a queued image whose manifest is gone is dropped when the queue is read. */
final class InMemoryInsights implements InsightIndex {

    private record Key(long repositoryId, Digest image) {
    }

    private record Stored(LayerInsight insight, List<Chunk> chunks) {
    }

    private final BiPredicate<Long, Digest> manifestExists;
    private final Predicate<Digest> blobExists;
    private final LongFunction<Optional<Repository>> repositories;
    private final Map<Digest, Stored> layers = new HashMap<>();
    private final Map<Key, Instant> queue = new LinkedHashMap<>();

    InMemoryInsights(BiPredicate<Long, Digest> manifestExists, Predicate<Digest> blobExists,
                     LongFunction<Optional<Repository>> repositories) {
        this.manifestExists = manifestExists;
        this.blobExists = blobExists;
        this.repositories = repositories;
    }

    @Override
    public synchronized Optional<LayerInsight> layerInsight(Digest layer) {
        return Optional.ofNullable(layers.get(layer)).map(Stored::insight);
    }

    @Override
    public synchronized void putLayerInsight(LayerInsight insight, List<Chunk> chunks) {
        List<Chunk> copies = chunks.stream()
                .map(c -> new Chunk(c.seq(), c.firstPath(), c.lastPath(), c.data().clone())).toList();
        layers.put(insight.layer(), new Stored(insight, copies));
    }

    @Override
    public synchronized List<ChunkRange> insightChunks(Digest layer) {
        Stored stored = layers.get(layer);
        return stored == null ? List.of() : stored.chunks().stream().map(Chunk::range).toList();
    }

    @Override
    public synchronized Optional<byte[]> insightChunk(Digest layer, int seq) {
        Stored stored = layers.get(layer);
        if (stored == null) {
            return Optional.empty();
        }
        return stored.chunks().stream().filter(c -> c.seq() == seq).findFirst().map(c -> c.data().clone());
    }

    @Override
    public int pruneLayerInsights(int limit) {
        List<Digest> stored;
        synchronized (this) {
            stored = new ArrayList<>(layers.keySet());
        }
        List<Digest> gone = stored.stream().filter(d -> !blobExists.test(d)).limit(limit).toList();
        synchronized (this) {
            gone.forEach(layers::remove);
        }
        return gone.size();
    }

    @Override
    public int requestInsights(List<QueuedImage> images, Instant now) {
        List<QueuedImage> stored = images.stream().filter(i -> manifestExists.test(i.repositoryId(), i.image())).toList();
        int queued = 0;
        synchronized (this) {
            for (QueuedImage i : stored) {
                queued += queue.putIfAbsent(new Key(i.repositoryId(), i.image()), now) == null ? 1 : 0;
            }
        }
        return queued;
    }

    @Override
    public List<InsightRequest> insightRequests(int limit) {
        List<Map.Entry<Key, Instant>> queued;
        synchronized (this) {
            queued = new ArrayList<>(queue.entrySet());
        }
        queued.sort(Map.Entry.comparingByValue());
        List<InsightRequest> out = new ArrayList<>();
        for (Map.Entry<Key, Instant> e : queued) {
            Key k = e.getKey();
            Optional<Repository> repo = repositories.apply(k.repositoryId());
            if (repo.isEmpty() || !manifestExists.test(k.repositoryId(), k.image())) {
                synchronized (this) {
                    queue.remove(k);
                }
            } else if (out.size() < limit) {
                out.add(new InsightRequest(k.repositoryId(), repo.get().account(), repo.get().name(), k.image(), e.getValue()));
            }
        }
        return out;
    }

    @Override
    public synchronized int finishInsightRequests(List<QueuedImage> images) {
        int finished = 0;
        for (QueuedImage i : images) {
            finished += queue.remove(new Key(i.repositoryId(), i.image())) != null ? 1 : 0;
        }
        return finished;
    }
}
