package io.wharf.core.service;

import io.wharf.core.spi.UploadLocks;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/** {@link UploadLocks} for one process: a reentrant lock per upload being worked on. */
public final class LocalUploadLocks implements UploadLocks {
    private final Map<String, UploadLock> locks = new ConcurrentHashMap<>();

    @Override
    public <T> T run(String uploadId, Supplier<T> work) {
        UploadLock lock = locks.compute(uploadId, (k, held) -> (held == null ? new UploadLock() : held).use());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
            locks.computeIfPresent(uploadId, (k, held) -> held.release());
        }
    }

    /**
     * A lock that leaves the map with its last user, so the map holds only uploads being worked on (not
     * one entry per id ever asked for) and no request ever locks a lock another one has replaced.
     */
    private static final class UploadLock extends ReentrantLock {
        private int users; // changed only inside the map's atomic compute for its key

        UploadLock use() {
            users++;
            return this;
        }

        UploadLock release() {
            return --users == 0 ? null : this;
        }
    }
}
