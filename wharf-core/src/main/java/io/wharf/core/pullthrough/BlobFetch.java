package io.wharf.core.pullthrough;

import io.wharf.core.model.Digest;
import io.wharf.core.remote.RemoteBlob;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.service.BodySource;
import io.wharf.core.service.RepoKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One blob from the upstream into the repository, its bytes handed to a {@link PullThroughCache.BlobSink} while they
 * are stored (on a writer thread, so that sending overlaps storing). The last piece is held back until the upload
 * verified the digest, so a client never receives a complete wrong blob; it goes out before the blob is committed.
 * A client that goes away does not stop the store (others wait for it).
 */
final class BlobFetch {
    private static final int PIECE = 1 << 20;
    static final String OWNER = "pull-through";

    private final PullThroughCache cache;
    private final RepoKey key;
    private final CacheRoute route;
    private final Digest digest;
    private Tee tee;

    BlobFetch(PullThroughCache cache, RepoKey key, CacheRoute route, Digest digest) {
        this.cache = cache;
        this.key = key;
        this.route = route;
        this.digest = digest;
    }

    /** Whether the sink got the whole blob, its digest verified (storing it may still have failed after that). */
    boolean served() {
        return tee != null && tee.delivered();
    }

    void run(PullThroughCache.BlobSink sink) throws RemoteException, IOException {
        // unverified here: the upload hashes every byte and refuses a mismatch before the client's last piece goes out
        try (RemoteBlob blob = cache.rules.upstream(route.rule()).unverifiedBlob(route.upstreamRepository(), digest)
                .orElseThrow(() -> PullThroughCache.unknownBlob(digest))) {
            cache.createRepository(key);
            tee = new Tee(blob.content(), sink, blob.size());
            try {
                cache.registry.uploads().putMonolithic(key, OWNER, digest, blob.size() < 0 ? null : blob.size(), tee);
            } catch (UncheckedIOException e) { // the upstream broke off (our storage reports its own failures)
                tee.abort();
                throw new RemoteException(RemoteException.Kind.UNAVAILABLE, "blob download failed: " + e.getMessage(), e);
            } catch (RuntimeException e) {
                tee.abort();
                throw e;
            }
            tee.finish();
        }
    }

    /**
     * The upload's body: a reader thread fills a ring of buffers from the upstream ahead of the upload and hands each
     * piece both to the upload and to a writer thread that sends it to the sink, so reading, storing and sending
     * overlap. A slot is reused once both are done with it. The writer gets a piece once the next one was read (so
     * it is not the last); the last goes out when the upload has {@linkplain #verified() verified} the digest.
     */
    private static final class Tee implements BodySource {
        private static final int RING = 6;
        private static final Piece END = new Piece(-1, 0, false);

        private record Piece(int slot, int length, boolean last) {
        }

        /** A piece read (slot -1: the body ended), or how reading failed. */
        private record Read(int slot, int length, IOException failure) {
        }

        private final ReadableByteChannel in;
        private final PullThroughCache.BlobSink sink;
        private final ByteBuffer[] ring = Pieces.take(RING);
        private final Semaphore free = new Semaphore(RING);
        /** Per slot: how many of the upload and the writer still use it. */
        private final AtomicIntegerArray users = new AtomicIntegerArray(RING);
        private final BlockingQueue<Read> filled = new ArrayBlockingQueue<>(RING + 1);
        private final BlockingQueue<Piece> queue = new ArrayBlockingQueue<>(RING + 2);
        private final Thread reader;
        private final Thread writer;
        /** The piece read last, not sent yet: the reader's until the body ended, then the upload thread's. */
        private Piece held;
        private int taken = -1;
        private boolean lastQueued;
        private volatile boolean delivered;
        private volatile IOException clientFailure;

        Tee(InputStream in, PullThroughCache.BlobSink sink, long size) {
            this.in = in instanceof ReadableByteChannel c ? c : Channels.newChannel(in);
            this.sink = sink;
            try {
                sink.begin(size);
            } catch (IOException e) {
                clientFailure = e;
            }
            this.writer = Thread.ofVirtual().name("pull-through-send").start(this::send);
            this.reader = Thread.ofVirtual().name("pull-through-read").start(this::read);
        }

        /** The reader: free slots filled in order until the body ends (an empty read) or fails. */
        private void read() {
            try {
                for (int turn = 0; ; turn++) {
                    free.acquire();
                    int slot = turn % RING;
                    int n = fill(ring[slot].clear());
                    if (n == 0) {
                        free.release();
                        filled.put(new Read(-1, 0, null));
                        return;
                    }
                    users.set(slot, 2);
                    if (held != null) {
                        queue.put(held);
                    }
                    held = new Piece(slot, n, false);
                    filled.put(new Read(slot, n, null));
                }
            } catch (IOException e) {
                filled.add(new Read(-1, 0, e)); // room: at most RING slots are out, the queue holds one more
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // aborted: nobody takes what it would have read
            }
        }

        /** Reads into {@code piece} until it is full or the body ended; the bytes read. */
        private int fill(ByteBuffer piece) throws IOException {
            while (piece.hasRemaining() && in.read(piece) >= 0) {
                // a blocking read: it returns bytes or the end
            }
            return piece.position();
        }

        @Override
        public ByteBuffer next() throws IOException {
            if (taken >= 0) {
                done(taken); // the upload is through with the piece it had
                taken = -1;
            }
            Read r;
            try {
                r = filled.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading from the upstream");
            }
            if (r.failure() != null) {
                throw r.failure();
            }
            if (r.slot() < 0) {
                return null;
            }
            taken = r.slot();
            return ring[r.slot()].slice(0, r.length());
        }

        /** The bytes match the digest: the held-back piece goes out as the last, before the blob is stored. */
        @Override
        public void verified() {
            if (!lastQueued) {
                lastQueued = true; // after next() returned null: the reader is done with held
                queue.add(held == null ? new Piece(-1, 0, true) : new Piece(held.slot(), held.length(), true));
            }
        }

        private void done(int slot) {
            if (users.decrementAndGet(slot) == 0) {
                free.release();
            }
        }

        /** The writer: pieces in order until END; after a client failure it only frees their slots. */
        private void send() {
            try {
                for (Piece p = queue.take(); p != END; p = queue.take()) {
                    write(p);
                    if (p.slot() >= 0) {
                        done(p.slot());
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void write(Piece p) {
            if (clientFailure != null) {
                return;
            }
            try {
                ByteBuffer piece = p.slot() < 0 ? ByteBuffer.allocate(0) : ring[p.slot()].slice(0, p.length());
                sink.write(piece, p.last());
                delivered = p.last();
            } catch (IOException e) {
                clientFailure = e; // keep storing: the next pull, or a waiting one, gets it from storage
            }
        }

        /** Whether the sink has received the whole, verified blob. */
        boolean delivered() {
            return delivered;
        }

        /** After the blob is stored: waits until the sink has it all, then throws the client's failure if it had one. */
        void finish() throws IOException {
            verified();
            queue.add(END);
            release(join(reader) && join(writer));
            if (clientFailure != null) {
                throw clientFailure;
            }
        }

        /**
         * The upload or storing failed: the client never gets the held-back piece (its transfer stays incomplete)
         * unless the digest was verified already, when it has it all and only storing failed.
         */
        void abort() {
            reader.interrupt(); // it may wait for a slot or for the upstream
            boolean read = join(reader);
            queue.add(END); // room: the reader is gone, at most RING pieces and the last are queued
            release(read && join(writer));
        }

        /** The ring back to the pool once neither thread can touch it (else the GC frees it). */
        private void release(boolean idle) {
            if (idle) {
                Pieces.give(ring);
            }
        }

        private static boolean join(Thread thread) {
            try {
                thread.join();
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Direct buffers of {@value #PIECE} bytes, kept for the next fetch: the kernel reads the upstream into them and
     * writes the file and the client's socket from them, with no copy through the heap. Allocating direct memory
     * is slow and freed only by the GC, hence the pool (at most {@value #KEPT} kept).
     */
    private static final class Pieces {
        private static final int KEPT = 48;
        private static final Queue<ByteBuffer> FREE = new ConcurrentLinkedQueue<>();
        private static final AtomicInteger COUNT = new AtomicInteger();

        static ByteBuffer[] take(int n) {
            ByteBuffer[] ring = new ByteBuffer[n];
            for (int i = 0; i < n; i++) {
                ByteBuffer b = FREE.poll();
                if (b != null) {
                    COUNT.decrementAndGet();
                }
                ring[i] = b != null ? b : ByteBuffer.allocateDirect(PIECE);
            }
            return ring;
        }

        static void give(ByteBuffer[] ring) {
            for (ByteBuffer b : ring) {
                if (COUNT.incrementAndGet() <= KEPT) {
                    FREE.add(b.clear());
                } else {
                    COUNT.decrementAndGet();
                }
            }
        }
    }
}
