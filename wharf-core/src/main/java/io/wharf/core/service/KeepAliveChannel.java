package io.wharf.core.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Refreshes an upload's session while its bytes flow, at most once per {@code every}: a long monolithic
 * upload stays alive while it receives bytes, and expires like any session once it stalls (or its
 * process dies) for the upload timeout.
 */
final class KeepAliveChannel implements WritableByteChannel {
    private final WritableByteChannel out;
    private final Clock clock;
    private final Duration every;
    private final Runnable refresh;
    private Instant next;

    KeepAliveChannel(WritableByteChannel out, Clock clock, Duration every, Runnable refresh) {
        this.out = out;
        this.clock = clock;
        this.every = every;
        this.refresh = refresh;
        this.next = clock.instant().plus(every);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int n = out.write(src);
        Instant now = clock.instant();
        if (!now.isBefore(next)) {
            refresh.run();
            next = now.plus(every);
        }
        return n;
    }

    @Override
    public boolean isOpen() {
        return out.isOpen();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
