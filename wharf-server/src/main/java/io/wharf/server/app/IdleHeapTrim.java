package io.wharf.server.app;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Gives heap grown under load back to the OS once the API has gone quiet. The Serial GC that
 * {@code bin/wharf} picks returns heap only at a full collection, and nothing triggers one while the
 * server idles: after the benchmark's workloads the heap stayed at ~31 MiB committed against 16 at
 * start. So: full collections after {@code idle-gc-after} without API requests, and only when the
 * committed heap has grown since the last time, so that a trickle of requests never causes collections
 * every few seconds. How far the heap shrinks is the JVM's {@code MaxHeapFreeRatio} ({@code bin/wharf}).
 */
final class IdleHeapTrim extends Handler.Wrapper {
    private final LongAdder requests = new LongAdder();
    private final long quietNanos;
    private final LongSupplier nanoTime;
    private final LongSupplier committedHeap;
    private final Runnable collect;
    // written by check() only, which one upkeep thread calls
    private long seen;
    private long lastActivity;
    private long committedAfterTrim;

    IdleHeapTrim(Handler api, Duration quiet) {
        this(api, quiet, System::nanoTime, () -> Runtime.getRuntime().totalMemory(), IdleHeapTrim::collectAndShrink);
    }

    /**
     * HotSpot's Serial (and Parallel) old generation damps shrinking over consecutive full collections
     * (0%, 10%, 40%, then all of the excess), so one {@code System.gc()} gives nothing back. Measured after
     * a load: tenured 21.5 → 20.5 → 16.7 → 10.9 MiB over four, RSS 127 → 117 MiB. A few ms each at this size.
     */
    private static void collectAndShrink() {
        for (int i = 0; i < 4; i++) {
            System.gc();
        }
    }

    IdleHeapTrim(Handler api, Duration quiet, LongSupplier nanoTime, LongSupplier committedHeap, Runnable collect) {
        super(api);
        this.quietNanos = quiet.toNanos();
        this.nanoTime = nanoTime;
        this.committedHeap = committedHeap;
        this.collect = collect;
        this.lastActivity = nanoTime.getAsLong();
        this.committedAfterTrim = committedHeap.getAsLong();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        requests.increment();
        return super.handle(request, response, callback);
    }

    /** Called periodically (every second) from one thread: collects when quiet long enough and the heap grew. */
    void check() {
        long now = nanoTime.getAsLong();
        long count = requests.sum();
        if (count != seen) {
            seen = count;
            lastActivity = now;
        } else if (now - lastActivity >= quietNanos && committedHeap.getAsLong() > committedAfterTrim) {
            collect.run();
            committedAfterTrim = committedHeap.getAsLong();
        }
    }
}
