package io.wharf.core.memory;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.ScanIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.LongFunction;
import io.wharf.core.spi.Repository;

/**
 * {@link ScanIndex} in memory. Guarded by the store's monitor (passed in), so a unit of work holding it sees
 * and writes scans atomically with everything else; the store calls {@link #forget} when a manifest goes.
 */
final class InMemoryScans implements ScanIndex {
    private static final Duration DAY = Duration.ofHours(24);

    private record Key(long repositoryId, Digest digest) {
    }

    private record Row(ScanRecord record, byte[] inventory, byte[] findings) {
    }

    private record LayerKey(Digest diffId, String key) {
    }

    private record Layer(byte[] analysis, Instant at) {
    }

    private final Object lock;
    private final BiPredicate<Long, Digest> manifestExists;
    private final LongFunction<Optional<Repository>> repositories;
    private final Map<Key, Row> scans = new HashMap<>();
    private final Map<LayerKey, Layer> layers = new HashMap<>();

    InMemoryScans(Object lock, BiPredicate<Long, Digest> manifestExists, LongFunction<Optional<Repository>> repositories) {
        this.lock = lock;
        this.manifestExists = manifestExists;
        this.repositories = repositories;
    }

    void forget(long repositoryId, Digest digest) {
        synchronized (lock) {
            scans.remove(new Key(repositoryId, digest));
        }
    }

    void forgetRepository(long repositoryId) {
        synchronized (lock) {
            scans.keySet().removeIf(k -> k.repositoryId() == repositoryId);
        }
    }

    @Override
    public RequestOutcome requestScan(long repositoryId, Digest digest, ScanRequest request, Instant now) {
        synchronized (lock) {
            if (!manifestExists.test(repositoryId, digest)) {
                return RequestOutcome.NO_IMAGE;
            }
            Key key = new Key(repositoryId, digest);
            Row row = scans.get(key);
            ScanRecord old = row == null ? null : row.record();
            boolean windowOpen = old != null && old.manualWindowStart() != null
                    && old.manualWindowStart().plus(DAY).isAfter(now);
            int count = windowOpen ? old.manualCount() : 0;
            if (request.quota() > 0 && count >= request.quota()) {
                return RequestOutcome.QUOTA_EXCEEDED;
            }
            if (old != null && old.status().open()) {
                return RequestOutcome.ALREADY_OPEN;
            }
            Repository repository = repositories.apply(repositoryId).orElseThrow();
            ScanRecord r = new ScanRecord(repositoryId, repository.account(), repository.name(), digest, Status.PENDING, null, request.scanType(), request.trigger(),
                    request.continuous(), now, null, old == null ? null : old.completedAt(),
                    old == null ? 0 : old.advisoryGeneration(), old == null ? null : old.sourceUpdatedAt(), null, null, 0,
                    windowOpen ? old.manualWindowStart() : now, count + 1,
                    old == null ? Map.of() : old.severityCounts(), old == null ? 1 : old.version() + 1);
            scans.put(key, new Row(r, row == null ? null : row.inventory(), row == null ? null : row.findings()));
            return RequestOutcome.QUEUED;
        }
    }

    @Override
    public Optional<ScanRecord> findScan(long repositoryId, Digest digest) {
        synchronized (lock) {
            return Optional.ofNullable(scans.get(new Key(repositoryId, digest))).map(Row::record);
        }
    }

    @Override
    public Optional<byte[]> findings(long repositoryId, Digest digest) {
        synchronized (lock) {
            return Optional.ofNullable(scans.get(new Key(repositoryId, digest))).map(Row::findings);
        }
    }

    @Override
    public Optional<byte[]> inventory(long repositoryId, Digest digest) {
        synchronized (lock) {
            return Optional.ofNullable(scans.get(new Key(repositoryId, digest))).map(Row::inventory);
        }
    }

    @Override
    public List<ScanRecord> claimable(Instant now, int limit) {
        synchronized (lock) {
            return scans.values().stream().map(Row::record).filter(r -> claimableAt(r, now))
                    .sorted(Comparator.comparing(ScanRecord::requestedAt)).limit(limit).toList();
        }
    }

    private static boolean claimableAt(ScanRecord r, Instant now) {
        return r.status() == Status.PENDING
                || (r.status() == Status.IN_PROGRESS && r.leaseExpiresAt() != null && r.leaseExpiresAt().isBefore(now));
    }

    @Override
    public Optional<ScanRecord> claimScan(long repositoryId, Digest digest, String owner, Instant now, Instant leaseExpiresAt) {
        synchronized (lock) {
            Key key = new Key(repositoryId, digest);
            Row row = scans.get(key);
            if (row == null || !claimableAt(row.record(), now)) {
                return Optional.empty();
            }
            ScanRecord o = row.record();
            ScanRecord r = new ScanRecord(o.repositoryId(), o.account(), o.repository(), o.digest(), Status.IN_PROGRESS, null, o.scanType(), o.trigger(),
                    o.continuous(), o.requestedAt(), now, o.completedAt(), o.advisoryGeneration(), o.sourceUpdatedAt(),
                    owner, leaseExpiresAt, o.attempts() + 1, o.manualWindowStart(), o.manualCount(), o.severityCounts(),
                    o.version() + 1);
            scans.put(key, new Row(r, row.inventory(), row.findings()));
            return Optional.of(r);
        }
    }

    @Override
    public boolean finishScan(long repositoryId, Digest digest, String owner, ScanResult result, Instant now) {
        synchronized (lock) {
            Row row = scans.get(new Key(repositoryId, digest));
            if (row == null || row.record().status() != Status.IN_PROGRESS || !owner.equals(row.record().owner())) {
                return false;
            }
            store(row, result, now);
            return true;
        }
    }

    @Override
    public boolean replaceResult(long repositoryId, Digest digest, long expectedVersion, ScanResult result, Instant now) {
        synchronized (lock) {
            Row row = scans.get(new Key(repositoryId, digest));
            if (row == null || row.record().version() != expectedVersion) {
                return false;
            }
            store(row, result, now);
            return true;
        }
    }

    private void store(Row row, ScanResult result, Instant now) {
        ScanRecord o = row.record();
        ScanRecord r = new ScanRecord(o.repositoryId(), o.account(), o.repository(), o.digest(), result.status(), result.description(), o.scanType(),
                o.trigger(), o.continuous(), o.requestedAt(), o.startedAt(), now, result.advisoryGeneration(),
                result.sourceUpdatedAt(), null, null, o.attempts(), o.manualWindowStart(), o.manualCount(),
                result.severityCounts(), o.version() + 1);
        byte[] inventory = result.inventory() != null ? result.inventory() : row.inventory();
        scans.put(new Key(o.repositoryId(), o.digest()), new Row(r, inventory, result.findings()));
    }

    @Override
    public List<ScanRecord> staleContinuous(long generation, int limit) {
        synchronized (lock) {
            return scans.values().stream()
                    .filter(row -> row.inventory() != null && row.record().continuous()
                            && !row.record().status().open() && row.record().advisoryGeneration() < generation)
                    .map(Row::record).sorted(Comparator.comparing(ScanRecord::completedAt)).limit(limit).toList();
        }
    }

    @Override
    public Optional<byte[]> layerAnalysis(Digest diffId, String key) {
        synchronized (lock) {
            return Optional.ofNullable(layers.get(new LayerKey(diffId, key))).map(Layer::analysis);
        }
    }

    @Override
    public void putLayerAnalysis(Digest diffId, String key, byte[] analysis, Instant now) {
        synchronized (lock) {
            layers.put(new LayerKey(diffId, key), new Layer(analysis.clone(), now));
        }
    }

    @Override
    public int pruneLayerAnalyses(Instant before, int limit) {
        synchronized (lock) {
            List<LayerKey> old = layers.entrySet().stream().filter(e -> e.getValue().at().isBefore(before))
                    .map(Map.Entry::getKey).limit(limit).toList();
            old.forEach(layers::remove);
            return old.size();
        }
    }
}
