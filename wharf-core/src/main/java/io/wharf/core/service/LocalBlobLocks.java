package io.wharf.core.service;

import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobLocks;
import java.util.concurrent.locks.ReentrantLock;

/** {@link BlobLocks} for one process: a fixed set of locks, a digest's chosen by its leading bytes. */
public final class LocalBlobLocks implements BlobLocks {
    private static final int STRIPES = 256;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public LocalBlobLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    @Override
    public void run(Digest digest, Runnable work) {
        ReentrantLock lock = stripes[Math.floorMod(digest.hex().hashCode(), STRIPES)];
        lock.lock();
        try {
            work.run();
        } finally {
            lock.unlock();
        }
    }
}
