package io.wharf.storage.jdbc;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Answers of the pull hot path (repository by name, tag to digest, manifest by digest) kept in memory
 * while nothing is written. Every committed write transaction bumps one generation number and so
 * invalidates everything: pulls are many and writes rare, and a single counter cannot miss a write path.
 * Valid while this process is the database's sole writer (the embedded SQLite store), or while it hears of
 * every other writer's commits ({@link #shared()}: PostgreSQL's notifications, see {@link PostgresListener});
 * a {@link #disabled()} cache answers every read from the database.
 *
 * <p>Race-free by ordering: a reader takes the generation <em>before</em> it queries, a writer bumps it
 * <em>after</em> it commits (another node's commit: when its notification arrives), so an answer read before a
 * commit is never served after it is known. A shared cache is off until its listener listens, and from the
 * moment the listener is lost until it listens again: notifications sent meanwhile are missed.
 */
final class ReadCache {
    /** One map of answers, cleared whole when it would grow past its bound. */
    final class Region<K, V> {
        private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
        private final int maxEntries;

        private Region(int maxEntries) {
            this.maxEntries = maxEntries;
        }

        /** The cached answer for {@code key}, or {@code load}'s, remembered unless a write intervened. */
        V get(K key, Supplier<V> load) {
            return get(key, load, v -> true);
        }

        /** As {@link #get(Object, Supplier)}, remembering only answers {@code keep} accepts. */
        V get(K key, Supplier<V> load, Predicate<V> keep) {
            if (!enabled || !live || bypass.getAsBoolean()) {
                return load.get();
            }
            long now = generation.get();
            Entry<V> e = entries.get(key);
            if (e != null && e.generation == now) {
                return e.value;
            }
            V value = load.get();
            if (!keep.test(value) || (shared && value instanceof Optional<?> found && found.isEmpty())) {
                return value;
            }
            if (entries.size() >= maxEntries) {
                entries.clear(); // crude but bounded; the hot set refills within a few requests
            }
            entries.put(key, new Entry<>(now, value));
            return value;
        }
    }

    private record Entry<V>(long generation, V value) {
    }

    private final AtomicLong generation = new AtomicLong();
    private final AtomicLong heard = new AtomicLong();
    private final boolean enabled;
    /**
     * Other nodes write too. Then an absence is never remembered: a node acting right after another created something
     * (a push's next request, on another node, after its first one created the repository) must find it even before
     * the creator's notification has arrived. A changed answer can still be served for that long (milliseconds).
     */
    private final boolean shared;
    /** False while a shared cache would miss other writers' commits. */
    private volatile boolean live;
    private volatile BooleanSupplier bypass = () -> false;

    private ReadCache(boolean enabled, boolean live, boolean shared) {
        this.enabled = enabled;
        this.live = live;
        this.shared = shared;
    }

    /** For a database this process alone writes. */
    static ReadCache enabled() {
        return new ReadCache(true, true, false);
    }

    /** For a database others write too, whose commits this process hears of: off until {@link #resume()}. */
    static ReadCache shared() {
        return new ReadCache(true, false, true);
    }

    /** Commits by others may go unheard from now on: answer from the database, forget what was read. */
    void suspend() {
        live = false;
        invalidate();
    }

    /** Every commit by others is heard from now on: forget what was read before, then answer from memory again. */
    void resume() {
        invalidate();
        live = true;
    }

    /** Whether answers may come from memory now. */
    boolean live() {
        return enabled && live;
    }

    /** For a database others may write too: nothing is remembered. */
    static ReadCache disabled() {
        return new ReadCache(false, false, false);
    }

    <K, V> Region<K, V> region(int maxEntries) {
        return new Region<>(maxEntries);
    }

    /** Reads for which {@code when} holds go to the database: those inside a transaction must see its writes. */
    void bypassWhen(BooleanSupplier when) {
        this.bypass = when;
    }

    /** Other processes' commits arrived (notifications): counted, then whatever was read before them is stale. */
    void othersCommitted(int commits) {
        heard.addAndGet(commits);
        invalidate();
    }

    /** How many commits of other processes this cache has heard of (tests wait on it instead of on time). */
    long commitsHeard() {
        return heard.get();
    }

    /** Called after every commit: whatever was read before it is stale. */
    void invalidate() {
        generation.incrementAndGet();
    }
}
