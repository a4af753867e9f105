package io.wharf.core.service;

import io.wharf.core.spi.UploadIndex;
import io.wharf.core.spi.UploadSession;
import io.wharf.core.spi.UploadStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Frees the bytes of abandoned uploads: every expired session (in batches, until none is left), then
 * upload bytes that belong to no session (left by a crash or a deleted repository). Bytes are live
 * while they have a session, so a running upload, monolithic or chunked, is never touched; bytes
 * without one are removed only once unwritten for {@link #grace()}, in case another process is
 * between creating and recording them.
 */
public final class UploadSweeper {
    private static final int BATCH = 500;
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX_INTERVAL = Duration.ofMinutes(5);

    private final UploadIndex meta;
    private final UploadStore uploads;
    private final UploadService service;
    private final Clock clock;
    private final Duration interval;

    UploadSweeper(UploadIndex meta, UploadStore uploads, UploadService service, RegistryLimits limits, Clock clock) {
        this.meta = meta;
        this.uploads = uploads;
        this.service = service;
        this.clock = clock;
        this.interval = interval(limits.uploadTimeout());
    }

    /** How often to sweep: a tenth of the upload timeout, between 1 second and 5 minutes. */
    static Duration interval(Duration uploadTimeout) {
        Duration tenth = uploadTimeout.dividedBy(10);
        return tenth.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : tenth.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : tenth;
    }

    public Duration interval() {
        return interval;
    }

    /** How long bytes without a session must have been left unwritten before they are removed. */
    public Duration grace() {
        return interval;
    }

    /** Removes every expired session and every stale orphan; returns how many uploads it removed. */
    public int sweep() {
        return expired() + orphans();
    }

    private int expired() {
        int removed = 0;
        List<UploadSession> batch;
        do {
            batch = meta.expiredUploads(clock.instant(), BATCH);
            batch.forEach(s -> service.discard(s.id()));
            removed += batch.size();
        } while (batch.size() == BATCH);
        return removed;
    }

    private int orphans() {
        Instant staleBefore = clock.instant().minus(grace());
        int removed = 0;
        try {
            for (String id : uploads.list()) {
                if (!service.isActive(id) && meta.findUpload(id).isEmpty() && isStale(id, staleBefore)) {
                    service.discard(id); // also drops state cached for it (its session went with its repository)
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return removed;
    }

    private boolean isStale(String id, Instant staleBefore) throws IOException {
        try {
            return uploads.lastModified(id).isBefore(staleBefore);
        } catch (NoSuchFileException e) {
            return false; // gone meanwhile (completed or cancelled)
        }
    }
}
