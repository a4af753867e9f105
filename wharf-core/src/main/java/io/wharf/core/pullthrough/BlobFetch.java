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

/**
 * One blob from the upstream into the repository, its bytes handed to a {@link PullThroughCache.BlobSink} as they
 * are stored. The last piece is held back until the upload verified the digest and published the blob, so a client
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
        try (RemoteBlob blob = cache.rules.upstream(route.rule()).blob(route.upstreamRepository(), digest)
                .orElseThrow(() -> PullThroughCache.unknownBlob(digest))) {
            cache.createRepository(key);
            Tee tee = new Tee(blob.content(), sink);
            tee.begin(blob.size());
            try {
                cache.registry.uploads().putMonolithic(key, OWNER, digest, blob.size() < 0 ? null : blob.size(), tee);
            } catch (UncheckedIOException e) { // the upstream broke off (our storage reports its own failures)
                throw new RemoteException(RemoteException.Kind.UNAVAILABLE, "blob download failed: " + e.getMessage(), e);
            }
            tee.finish();
        }
    }

    /** The upload's body: reads the upstream into two alternating buffers, writing the previous one to the sink. */
    private static final class Tee implements BodySource {
        private final InputStream in;
        private final PullThroughCache.BlobSink sink;
        private final byte[][] buffers = {new byte[PIECE], new byte[PIECE]};
        private int turn;
        private ByteBuffer pending;
        private IOException clientFailure;

        Tee(InputStream in, PullThroughCache.BlobSink sink) {
            this.in = in;
            this.sink = sink;
        }

        void begin(long size) {
            try {
                sink.begin(size);
            } catch (IOException e) {
                clientFailure = e;
            }
        }

        @Override
        public ByteBuffer next() throws IOException {
            byte[] buffer = buffers[turn];
            turn ^= 1;
            int n = in.readNBytes(buffer, 0, buffer.length);
            if (n == 0) {
                return null;
            }
            send(false);
            pending = ByteBuffer.wrap(buffer, 0, n);
            return ByteBuffer.wrap(buffer, 0, n);
        }

        private void send(boolean last) {
            if (clientFailure != null || (pending == null && !last)) {
                return;
            }
            try {
                sink.write(pending == null ? ByteBuffer.allocate(0) : pending, last);
            } catch (IOException e) {
                clientFailure = e; // keep storing: the next pull, or a waiting one, gets it from storage
            }
            pending = null;
        }

        /** After the blob is stored: the held-back piece, then the client's own failure if it had one. */
        void finish() throws IOException {
            send(true);
            if (clientFailure != null) {
                throw clientFailure;
            }
        }
    }
}
