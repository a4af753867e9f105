package io.wharf.server.http;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Per account and operation request rates: one token bucket per (account, operation), kept as a single
 * "theoretical arrival time" per bucket (the generic cell rate algorithm, which behaves exactly as a token bucket
 * refilled continuously). Taking a token is one compare-and-set on a long: no lock, and no allocation once the
 * account's row exists. State is this process's memory: with N nodes an account gets up to N times the rate.
 *
 * <p>Accounts come from authenticated principals (or the served account for anonymous reads), so the map grows
 * with the deployment's accounts, not with callers.
 */
public final class RequestRates {
    /** No operation is throttled. */
    public static final RequestRates UNLIMITED = new RequestRates(Map.of(), System::nanoTime);
    private static final String ACTION_PREFIX = "ecr:";

    private final Map<String, Integer> indexes = new HashMap<>();
    private final String[] names;
    private final long[] intervalNanos;
    private final long[] toleranceNanos;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<String, AtomicLongArray> accounts = new ConcurrentHashMap<>();

    /**
     * @param quotas by ECR operation name ({@code BatchGetImage}); operations not in it are not throttled
     * @param nanos  a monotonic clock in nanoseconds ({@code System::nanoTime}; tests move their own)
     */
    public RequestRates(Map<String, RateQuota> quotas, LongSupplier nanos) {
        List<String> ops = List.copyOf(quotas.keySet());
        this.names = ops.toArray(String[]::new);
        this.intervalNanos = new long[names.length];
        this.toleranceNanos = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            RateQuota q = quotas.get(names[i]);
            intervalNanos[i] = Math.max(1, Math.round(1e9 / q.perSecond()));
            toleranceNanos[i] = (long) Math.min(Long.MAX_VALUE / 4.0, (double) intervalNanos[i] * q.burst());
            indexes.put(names[i], i);
            indexes.put(ACTION_PREFIX + names[i], i); // the /v2/ route table names actions
        }
        this.nanos = nanos;
    }

    /** Whether any operation is throttled. */
    public boolean enabled() {
        return names.length > 0;
    }

    /**
     * Takes one token of {@code account}'s bucket for {@code operation} (an ECR operation name or its IAM action
     * {@code ecr:<name>}; null or unlisted: nothing to take).
     *
     * @throws ThrottledException when the bucket is empty, with the time until it holds a token again
     */
    public void acquire(String account, String operation) {
        Integer index = operation == null ? null : indexes.get(operation);
        if (index == null) {
            return;
        }
        AtomicLongArray row = accounts.get(account);
        if (row == null) {
            row = accounts.computeIfAbsent(account, a -> emptyRow());
        }
        take(row, index);
    }

    /**
     * The bucket is full while its arrival time lies in the past; each request pushes it one interval on, and a
     * request that would push it more than a burst's worth ahead of now is refused, the bucket unchanged.
     */
    private void take(AtomicLongArray row, int i) {
        while (true) {
            long now = nanos.getAsLong();
            long arrival = row.get(i);
            long next = Math.max(arrival, now) + intervalNanos[i];
            long over = next - now - toleranceNanos[i];
            if (over > 0) {
                throw new ThrottledException(names[i], over);
            }
            if (row.compareAndSet(i, arrival, next)) {
                return;
            }
        }
    }

    /** Every bucket full: arrival times long past. */
    private AtomicLongArray emptyRow() {
        AtomicLongArray row = new AtomicLongArray(names.length);
        for (int i = 0; i < names.length; i++) {
            row.set(i, Long.MIN_VALUE / 2);
        }
        return row;
    }
}
