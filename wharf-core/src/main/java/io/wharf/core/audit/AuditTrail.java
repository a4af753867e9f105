package io.wharf.core.audit;

import io.wharf.core.spi.AuditIndex;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes audit records durably without making a request wait: {@link #offer} puts a record on a bounded queue (never
 * blocks; a full queue drops the record and counts it), and one writer thread appends them in batches, one
 * transaction each, at most {@code batchSize} records and at most {@code maxDelay} after the batch's first record.
 * {@link #close} drains the queue. What a kill -9 loses: the records queued and the batch in flight.
 */
public final class AuditTrail implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.wharf.audit");
    /** A batch the store refused is tried this often, a second apart, before it is given up (and counted). */
    static final int WRITE_ATTEMPTS = 3;
    /** How often a writer waiting out the delay looks whether a whole batch is queued already. */
    private static final long FILL_CHECK_NANOS = 10_000_000L;

    /**
     * @param queueCapacity records waiting at most (beyond: dropped and counted)
     * @param batchSize     records per transaction at most
     * @param maxDelay      how long a record waits for its batch to fill, at most
     */
    public record Settings(int queueCapacity, int batchSize, Duration maxDelay) {
        public Settings {
            if (queueCapacity < 1 || batchSize < 1 || maxDelay.isNegative()) {
                throw new IllegalArgumentException("audit trail settings out of range");
            }
        }
    }

    private final AuditIndex index;
    private final Settings settings;
    private final BlockingQueue<AuditRecord> queue;
    private final Thread writer;
    private final LongAdder dropped = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final LongAdder lost = new LongAdder();
    private volatile boolean closing;

    public AuditTrail(AuditIndex index, Settings settings) {
        this.index = index;
        this.settings = settings;
        this.queue = new LinkedBlockingQueue<>(settings.queueCapacity());
        this.writer = Thread.ofPlatform().daemon().name("audit-writer").start(this::loop);
    }

    /** Queues {@code record}; false (and counted as dropped) when the queue is full or the trail is closed. */
    public boolean offer(AuditRecord record) {
        if (!closing && queue.offer(record)) {
            return true;
        }
        long before = dropped.sum();
        dropped.increment();
        if (Long.bitCount(before + 1) == 1) { // 1st, 2nd, 4th, 8th…: a line, not a flood
            LOG.log(Level.WARNING, "audit: queue full ({0} records); {1} records dropped so far", settings.queueCapacity(), before + 1);
        }
        return false;
    }

    /** Records dropped because the queue was full. */
    public long dropped() {
        return dropped.sum();
    }

    /** Records appended to the store. */
    public long written() {
        return written.sum();
    }

    /** Records given up after the store refused their batch {@value #WRITE_ATTEMPTS} times. */
    public long lost() {
        return lost.sum();
    }

    /** Records waiting. */
    public int queued() {
        return queue.size();
    }

    private void loop() {
        List<AuditRecord> batch = new ArrayList<>(settings.batchSize());
        while (!closing || !queue.isEmpty()) {
            try {
                collect(batch);
            } catch (InterruptedException e) {
                queue.drainTo(batch, settings.batchSize() - batch.size()); // closing: the rest comes next round
            }
            if (!batch.isEmpty()) {
                write(batch);
                batch.clear();
            }
        }
    }

    /**
     * The first record (waiting up to 100 ms, to see {@link #closing}), then, once the delay is over or a batch is
     * waiting, the rest. The writer sleeps through the delay instead of waiting on the queue: a waiting writer
     * would be woken by every record, a system call on the request's thread and a context switch here.
     */
    private void collect(List<AuditRecord> batch) throws InterruptedException {
        AuditRecord first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
            return;
        }
        batch.add(first);
        long deadline = System.nanoTime() + settings.maxDelay().toNanos();
        for (long left = deadline - System.nanoTime(); left > 0 && !closing && queue.size() < settings.batchSize() - 1;
             left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(Math.min(left, FILL_CHECK_NANOS));
        }
        queue.drainTo(batch, settings.batchSize() - batch.size());
    }

    private void write(List<AuditRecord> batch) {
        for (int attempt = 1; ; attempt++) {
            try {
                index.appendAudit(batch);
                written.add(batch.size());
                return;
            } catch (RuntimeException e) {
                if (attempt == WRITE_ATTEMPTS) {
                    lost.add(batch.size());
                    LOG.log(Level.ERROR, "audit: " + batch.size() + " records lost: the store refused them " + attempt + " times", e);
                    return;
                }
                LOG.log(Level.WARNING, "audit: writing " + batch.size() + " records failed; trying again", e);
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closing: the next attempt goes at once
        }
    }

    /** Stops taking records and waits up to {@code timeout} for the queued ones to be written. */
    public void close(Duration timeout) {
        closing = true;
        writer.interrupt();
        try {
            if (!writer.join(timeout)) {
                LOG.log(Level.WARNING, "audit: {0} records not written at shutdown", queue.size());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
