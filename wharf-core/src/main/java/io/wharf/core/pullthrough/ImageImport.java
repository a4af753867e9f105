package io.wharf.core.pullthrough;

import io.wharf.core.event.RegistryEvent;
import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.remote.RemoteManifest;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.Repository;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stores a manifest fetched from an upstream once what it references is stored: its blobs (streamed already if a
 * client asked for them, fetched here otherwise) and, for an index, every child with its blobs. The manifest and
 * its {@code ImageCached} event commit in one transaction; a failure emits a FAILED one. Runs on a virtual thread
 * of this node: a node that dies mid-import leaves nothing half-stored, and the next pull fetches again.
 */
final class ImageImport {
    private record Key(String account, String repository, Digest digest, Tag tag) {
    }

    /** How often a waiting import looks whether the repository's clients have gone quiet. */
    private static final long POLL_MILLIS = 50;
    /** The longest wait for a quiet spell, in import delays (30 s at the default 1 s). */
    private static final long MAX_WAIT_DELAYS = 30;

    private final PullThroughCache cache;
    private final Set<Key> running = ConcurrentHashMap.newKeySet();

    ImageImport(PullThroughCache cache) {
        this.cache = cache;
    }

    /** Stores {@code m} in the background (once at a time per image and tag); {@code done} runs when it ended. */
    void start(RepoKey key, CacheRoute route, RemoteManifest m, Tag tag, Runnable done) {
        Key k = new Key(key.account(), key.name().value(), m.digest(), tag);
        if (!running.add(k)) {
            done.run();
            return;
        }
        Thread.ofVirtual().name("pull-through-import").start(() -> {
            try {
                awaitQuiet(key, System.nanoTime());
                importImage(key, route, m, tag);
            } catch (Exception e) {
                PullThroughCache.LOG.log(Level.WARNING, "caching " + key.name() + "@" + m.digest() + " failed", e);
                failed(key, route, m.digest(), tag == null ? new Reference.ByDigest(m.digest()) : new Reference.ByTag(tag),
                        String.valueOf(e.getMessage()));
            } finally {
                running.remove(k);
                done.run();
            }
        });
    }

    private void importImage(RepoKey key, CacheRoute route, RemoteManifest m, Tag tag) throws Exception {
        Manifest parsed = PullThroughCache.parse(m);
        for (Descriptor child : parsed.manifests()) {
            if (!hasManifest(key, child.digest())) {
                RemoteManifest c = cache.fetchManifestOnly(key, route, child.digest());
                importContents(key, route, PullThroughCache.parse(c));
                store(key, route, c, null);
            }
        }
        importContents(key, route, parsed);
        store(key, route, m, tag);
    }

    /**
     * The blobs: one a client is fetching is waited for; the others are fetched once no client has streamed a blob
     * of the repository for {@code import-delay}.
     */
    private void importContents(RepoKey key, CacheRoute route, Manifest parsed) throws Exception {
        for (Descriptor d : parsed.blobs()) {
            if (!PullThroughCache.storable(d) || cache.hasBlob(key, d.digest())) {
                continue;
            }
            if (!cache.blobInFlight(key, d.digest())) {
                awaitQuiet(key, System.nanoTime() - cache.rules.settings().importDelay().toNanos());
            }
            if (!cache.hasBlob(key, d.digest())) {
                cache.storeBlob(key, route, d.digest());
            }
        }
    }

    /**
     * Waits until no client has streamed a blob of the repository for {@code import-delay}, counted from {@code since};
     * in a repository that is never quiet, at most {@value #MAX_WAIT_DELAYS} times {@code import-delay}, so that the
     * image still gets stored.
     */
    private void awaitQuiet(RepoKey key, long sinceNanos) throws InterruptedException {
        long quiet = cache.rules.settings().importDelay().toNanos();
        String repository = PullThroughCache.repositoryKey(key);
        long giveUp = System.nanoTime() + MAX_WAIT_DELAYS * quiet;
        for (long left = cache.clients.untilQuiet(repository, sinceNanos, quiet); left > 0 && giveUp - System.nanoTime() > 0;
             left = cache.clients.untilQuiet(repository, sinceNanos, quiet)) {
            Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000)));
        }
    }

    private boolean hasManifest(RepoKey key, Digest digest) {
        return cache.registry.metadata().findRepository(key.account(), key.name())
                .flatMap((Repository r) -> cache.registry.metadata().findManifest(r.id(), digest)).isPresent();
    }

    private void store(RepoKey key, CacheRoute route, RemoteManifest m, Tag tag) {
        Reference ref = tag == null ? new Reference.ByDigest(m.digest()) : new Reference.ByTag(tag);
        cache.registry.metadata().inTransaction("store a cached image", unit -> {
            cache.registry.manifests().put(key, ref, m.mediaType(), m.body());
            unit.emit(new RegistryEvent.ImageCached(key.account(), key.name(), m.digest(), tag,
                    route.rule().upstreamRegistryUrl(), route.upstreamRepository(), "SUCCESS", null), cache.clock.instant());
            return null;
        });
        if (tag != null) {
            cache.rules.index().tagChecked(key.account(), key.name(), tag, cache.clock.instant());
        }
    }

    /** Records a failed fetch or import as an event of its own. */
    void failed(RepoKey key, CacheRoute route, Digest digest, Reference reference, String failure) {
        try {
            cache.emit(new RegistryEvent.ImageCached(key.account(), key.name(), digest,
                    reference instanceof Reference.ByTag(Tag t) ? t : null, route.rule().upstreamRegistryUrl(),
                    route.upstreamRepository(), "FAILED", failure));
        } catch (RuntimeException e) {
            PullThroughCache.LOG.log(Level.WARNING, "could not record a failed pull-through fetch", e);
        }
    }
}
