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

/**
 * One blob from the upstream into the repository, its bytes handed to a {@link PullThroughCache.BlobSink} as they
 * are stored (on a writer thread, so that sending overlaps storing). The last piece is held back until the upload verified the digest and published the blob, so a client
 * never receives a complete wrong blob. A client that goes away does not stop the store (others wait for it).
 */
final class BlobFetch {
    private static final int PIECE = 1 << 20;
    static final String OWNER = "pull-through";

    private final PullThroughCache cache;
    private final RepoKey key;
    private final CacheRoute route;
    private final Digest digest;

    BlobFetch(PullThroughCache cache, RepoKey key, CacheRoute route, Digest digest) {
        this.cache = cache;
        this.key = key;
        this.route = route;
        this.digest = digest;
    }

    void run(PullThroughCache.BlobSink sink) throws RemoteException, IOException {
        // unverified here: the upload hashes every byte and refuses a mismatch before the client's last piece goes out
        try (RemoteBlob blob = cache.rules.upstream(route.rule()).unverifiedBlob(route.upstreamRepository(), digest)
                .orElseThrow(() -> PullThroughCache.unknownBlob(digest))) {
            cache.createRepository(key);
            Tee tee = new Tee(blob.content(), sink, blob.size());
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
     * The upload's body: a reader thread fills a ring of buffers from the upstream ahead of the upload; each piece the
     * upload has taken goes to the sink on a writer thread, so reading, storing and sending overlap.
     */
    private static final class Tee implements BodySource {
        private static final int RING = 6;
        private static final Piece END = new Piece(-1, 0, false);

        private record Piece(int slot, int length, boolean last) {
        }

        /** A piece read, or how reading failed. */
        private record Read(int slot, int length, IOException failure) {
        }

        private final ReadableByteChannel in;
        private final PullThroughCache.BlobSink sink;
        private final ByteBuffer[] ring = Pieces.take(RING);
        private final Semaphore free = new Semaphore(RING);
        private final BlockingQueue<Read> filled = new ArrayBlockingQueue<>(RING + 1);
        private final BlockingQueue<Piece> queue = new ArrayBlockingQueue<>(RING + 1);
        private final Thread reader;
        private final Thread writer;
        private Piece pending;
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
                    filled.put(new Read(slot, n, null));
                    if (n == 0) {
                        return;
                    }
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
            if (r.length() == 0) {
                free.release();
                return null;
            }
            if (pending != null) {
                queue.add(pending);
            }
            pending = new Piece(r.slot(), r.length(), false);
            return ring[r.slot()].slice(0, r.length());
        }

        /** The writer: pieces in order until END; after a client failure it only frees their slots. */
        private void send() {
            try {
                for (Piece p = queue.take(); p != END; p = queue.take()) {
                    write(p);
                    if (p.slot() >= 0) {
                        free.release();
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
            } catch (IOException e) {
                clientFailure = e; // keep storing: the next pull, or a waiting one, gets it from storage
            }
        }

        /** After the blob is stored: the held-back piece as the last, then the client's own failure if it had one. */
        void finish() throws IOException {
            queue.add(pending == null ? new Piece(-1, 0, true) : new Piece(pending.slot(), pending.length(), true));
            pending = null;
            queue.add(END);
            release(join(reader) && join(writer));
            if (clientFailure != null) {
                throw clientFailure;
            }
        }

        /** The upload failed: the client never gets the held-back piece (its transfer stays incomplete). */
        void abort() {
            pending = null;
            reader.interrupt(); // it may wait for a slot or for the upstream
            boolean read = join(reader);
            queue.add(END);
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
