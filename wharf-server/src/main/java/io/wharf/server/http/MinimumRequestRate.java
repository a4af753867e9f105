package io.wharf.server.http;

import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Cuts off request bodies that arrive slower than a minimum average rate. The connector's idle timeout catches a
 * client that sends nothing; this catches one that sends a byte now and then, just often enough never to be idle,
 * and so would hold its connection and upload session for hours. The average is taken from the start of the
 * request and only judged once the grace period has passed, so a small body that waited for
 * {@code 100 Continue} or a slow first round trip is never refused. The reader then gets a timeout failure,
 * which the APIs answer 408 as they answer a stalled body.
 */
public final class MinimumRequestRate extends Handler.Wrapper {
    private final long bytesPerSecond;
    private final long graceNanos;

    /**
     * @param bytesPerSecond the lowest average rate of a body; 0: not checked
     * @param graceNanos     how long a body may take before its average counts
     */
    public MinimumRequestRate(Handler handler, long bytesPerSecond, long graceNanos) {
        super(handler);
        this.bytesPerSecond = bytesPerSecond;
        this.graceNanos = graceNanos;
    }

    /** Only requests with a body are wrapped: a GET, the hot path, costs two header lookups and nothing else. */
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        boolean body = request.getHeaders().contains(HttpHeader.CONTENT_LENGTH)
                || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        return super.handle(bytesPerSecond > 0 && body ? new Checked(request) : request, response, callback);
    }

    /** The failure a reader of a too slow body gets: a timeout, as for a stalled one. */
    public static final class SlowBodyException extends TimeoutException {
        SlowBodyException(long bytesPerSecond) {
            super("the request body arrived slower than the minimum of " + bytesPerSecond + " bytes per second");
        }
    }

    /** Counts what the reader took; asked for more, refuses once the average is too low. */
    private final class Checked extends Request.Wrapper {
        private final long start = System.nanoTime();
        private long bytes;
        private volatile Content.Chunk failure;

        Checked(Request request) {
            super(request);
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk failed = failure;
            if (failed != null) {
                return failed;
            }
            Content.Chunk chunk = super.read();
            if (chunk != null) {
                bytes += chunk.remaining();
            }
            return chunk;
        }

        @Override
        public void demand(Runnable demandCallback) {
            if (failure == null && tooSlow()) {
                failure = Content.Chunk.from(new SlowBodyException(bytesPerSecond), true);
                demandCallback.run();
                return;
            }
            super.demand(demandCallback);
        }

        private boolean tooSlow() {
            long elapsed = System.nanoTime() - start;
            return elapsed > graceNanos && bytes * 1_000_000_000.0 / elapsed < bytesPerSecond;
        }
    }
}
