package io.wharf.core.audit;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Audit event ids: UUIDs (version 7) that sort, as text, in the order this process made them among records of the
 * same millisecond. Stores order records by time and then id; with random ids, two calls of one millisecond came
 * back in either order. The layout: the event time's 48-bit milliseconds, the version, a 42-bit counter (12 bits,
 * then 30 after the variant), 32 random bits. The counter starts at a random point below 2^41, so nodes of a
 * cluster appending without coordination still differ in 74 bits within a millisecond.
 */
public final class EventIds {
    private static final AtomicLong COUNTER = new AtomicLong(new SecureRandom().nextLong(1L << 41));

    private EventIds() {
    }

    public static String next(Instant eventTime) {
        long millis = eventTime.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
        long count = COUNTER.getAndIncrement() & ((1L << 42) - 1);
        long high = (millis << 16) | 0x7000L | (count >>> 30);
        long low = (0b10L << 62) | ((count & ((1L << 30) - 1)) << 32) | (ThreadLocalRandom.current().nextInt() & 0xFFFF_FFFFL);
        return new UUID(high, low).toString();
    }
}
