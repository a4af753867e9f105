package io.wharf.core.pullthrough;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Concurrent requests for one key in this process share one execution: the first runs it, the others wait for its
 * outcome (value or exception). Nothing is kept once it ended.
 */
final class SingleFlight<K, V> {

    @FunctionalInterface
    interface Work<V> {
        V run() throws Exception;
    }

    /** The outcome, and whether this caller ran the work. */
    record Outcome<V>(V value, boolean led) {
    }

    private final ConcurrentHashMap<K, CompletableFuture<V>> flights = new ConcurrentHashMap<>();

    Outcome<V> run(K key, Work<V> work) throws Exception {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = flights.putIfAbsent(key, mine);
        if (running != null) {
            return new Outcome<>(join(running), false);
        }
        try {
            V value = work.run();
            mine.complete(value);
            return new Outcome<>(value, true);
        } catch (Exception | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            flights.remove(key, mine);
        }
    }

    boolean running(K key) {
        return flights.containsKey(key);
    }

    private static <V> V join(CompletableFuture<V> running) throws Exception {
        try {
            return running.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }
}
