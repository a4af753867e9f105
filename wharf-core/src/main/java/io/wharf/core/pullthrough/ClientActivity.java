package io.wharf.core.pullthrough;

import java.util.concurrent.ConcurrentHashMap;

/**
 * When this node's clients last streamed blobs of each repository from an upstream. An import fetches the blobs no
 * client asked for only once the repository has been quiet for a while: a client that pulls blobs one after the
 * other (skopeo, and others with one connection) would otherwise find its next blob taken by the import, wait for
 * it whole, and share the CPU with the import's transfer meanwhile.
 */
final class ClientActivity {
    private record Entry(int streaming, long lastNanos) {
    }

    private final ConcurrentHashMap<String, Entry> repositories = new ConcurrentHashMap<>();

    void begin(String repository) {
        repositories.merge(repository, new Entry(1, System.nanoTime()),
                (was, now) -> new Entry(was.streaming() + 1, now.lastNanos()));
    }

    void end(String repository) {
        repositories.computeIfPresent(repository, (k, was) -> new Entry(was.streaming() - 1, System.nanoTime()));
    }

    /**
     * Nanoseconds until {@code repository} will have had no client stream for {@code quietNanos}, counted from
     * {@code sinceNanos} at the earliest (0: it has been quiet that long). Forgets a repository once quiet.
     */
    long untilQuiet(String repository, long sinceNanos, long quietNanos) {
        long now = System.nanoTime();
        Entry e = repositories.get(repository);
        if (e != null && e.streaming() > 0) {
            return quietNanos;
        }
        long from = e == null || e.lastNanos() - sinceNanos < 0 ? sinceNanos : e.lastNanos(); // nanoTime: compare differences
        long left = from + quietNanos - now;
        if (left <= 0 && e != null) {
            repositories.remove(repository, e);
        }
        return Math.max(0, left);
    }
}
