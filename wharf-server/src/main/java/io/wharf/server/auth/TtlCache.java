package io.wharf.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Values loaded at most once per time-to-live per key. Changes made elsewhere are seen after at most
 * the TTL unless the owner drops everything on a change signal ({@link IdentityChanges}): the TTL is
 * what bounds, on other nodes, how long a deleted user's token or a revoked policy keeps working.
 */
final class TtlCache<K, V> {
    private record Entry<V>(V value, Instant loadedAt) {
    }

    /** Beyond this many keys the cache starts over rather than grow without bound. */
    private static final int MAX_ENTRIES = 10_000;

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final Duration ttl;
    private final Clock clock;

    TtlCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    V get(K key, Function<K, V> loader) {
        Instant now = clock.instant();
        Entry<V> e = entries.get(key);
        if (e == null || !now.isBefore(e.loadedAt().plus(ttl))) {
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
            e = new Entry<>(loader.apply(key), now); // concurrent misses may load twice: harmless
            entries.put(key, e);
        }
        return e.value();
    }

    void invalidateAll() {
        entries.clear();
    }
}
