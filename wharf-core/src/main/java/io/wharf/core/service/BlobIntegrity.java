package io.wharf.core.service;

import io.wharf.core.error.BlobDamagedException;
import io.wharf.core.model.Digest;
import io.wharf.core.spi.BlobCorruptException;
import io.wharf.core.spi.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.OptionalLong;

/**
 * Whether the bytes behind a blob's metadata are there and whole, and what happens when they are not:
 * the damage is reported and the damaged copy set aside ({@link BlobStore#quarantine}), so the blob
 * reads as absent everywhere (HEAD, GET, mounts, ECR's layer checks) and the next push of its digest
 * stores it afresh. Every read checks the size (one {@code stat}); hashing the bytes is for the scrub,
 * {@code wharf fsck} and the optional verification of full reads.
 */
public final class BlobIntegrity {
    /** What a full check found. */
    public enum Verdict {
        INTACT, MISSING, WRONG_SIZE, WRONG_DIGEST
    }

    private static final int READ_BUFFER = 1 << 20;

    private final BlobStore blobs;
    private final Damage.Listener listener;

    public BlobIntegrity(BlobStore blobs, Damage.Listener listener) {
        this.blobs = blobs;
        this.listener = listener;
    }

    /** Where a client may fetch a stored blob from the store itself, if the store offers that ({@link BlobStore#downloadUrl}). */
    public java.util.Optional<java.net.URI> downloadUrl(Digest digest) {
        return blobs.downloadUrl(digest);
    }

    /** True when the store holds the blob at its recorded size; a file of another size is set aside. */
    public boolean isStored(Digest digest, long recordedSize) {
        OptionalLong stored;
        try {
            stored = blobs.size(digest);
        } catch (BlobCorruptException e) {
            setAside(digest, e.getMessage());
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (stored.isEmpty()) {
            return false; // absent: deleted outside Wharf or set aside earlier; a push restores it
        }
        if (stored.getAsLong() != recordedSize) {
            setAside(digest, "stored size " + stored.getAsLong() + " is not the recorded " + recordedSize);
            return false;
        }
        return true;
    }

    /** As {@link #isStored}, failing with {@link BlobDamagedException}. */
    public void requireStored(Digest digest, long recordedSize) {
        if (!isStored(digest, recordedSize)) {
            throw damaged(digest);
        }
    }

    /** Opens the blob after checking its size; the caller closes the channel. */
    public SeekableByteChannel open(Digest digest, long recordedSize) {
        SeekableByteChannel channel;
        try {
            channel = blobs.open(digest);
            if (channel.size() == recordedSize) {
                return channel;
            }
            long size = channel.size();
            channel.close();
            setAside(digest, "stored size " + size + " is not the recorded " + recordedSize);
        } catch (NoSuchFileException e) {
            // absent, as in isStored
        } catch (BlobCorruptException e) {
            setAside(digest, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw damaged(digest);
    }

    /** Reads and hashes the whole blob at most as fast as {@code throttle} allows; changes nothing. */
    public Verdict verify(Digest digest, long recordedSize, Throttle throttle) {
        try (SeekableByteChannel channel = blobs.open(digest)) {
            if (channel.size() != recordedSize) {
                return Verdict.WRONG_SIZE;
            }
            MessageDigest hash = digest.newMessageDigest();
            ByteBuffer buf = ByteBuffer.allocate(READ_BUFFER);
            for (int n = channel.read(buf); n >= 0; n = channel.read(buf.clear())) {
                hash.update(buf.array(), 0, n);
                throttle.consumed(n);
            }
            return Digest.of(digest.algorithm(), hash.digest()).equals(digest) ? Verdict.INTACT : Verdict.WRONG_DIGEST;
        } catch (NoSuchFileException e) {
            return Verdict.MISSING;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Verifies the blob and sets it aside when damaged. Damage seen by an earlier read is confirmed on the
     * file now at the blob's path before anything moves: a push may have replaced it meanwhile.
     */
    public Verdict check(Digest digest, long recordedSize, Throttle throttle) {
        Verdict verdict = verify(digest, recordedSize, throttle);
        if (verdict == Verdict.WRONG_SIZE || verdict == Verdict.WRONG_DIGEST) {
            verdict = verify(digest, recordedSize, Throttle.none());
            if (verdict == Verdict.WRONG_SIZE || verdict == Verdict.WRONG_DIGEST) {
                setAside(digest, verdict == Verdict.WRONG_SIZE ? "stored size is not the recorded " + recordedSize
                        : "stored bytes do not hash to the digest");
            }
        }
        return verdict;
    }

    /** Hashes a full read while it is sent; {@link ReadCheck#finish} fails before the last piece goes out. */
    public ReadCheck readCheck(Digest digest, long recordedSize) {
        return new ReadCheck(digest, recordedSize);
    }

    /** The running hash of one full read. */
    public final class ReadCheck {
        private final Digest digest;
        private final long size;
        private final MessageDigest hash;

        private ReadCheck(Digest digest, long size) {
            this.digest = digest;
            this.size = size;
            this.hash = digest.newMessageDigest();
        }

        /** Feeds the next piece about to be sent (its position is left unchanged). */
        public void update(ByteBuffer piece) {
            hash.update(piece.duplicate());
        }

        /** After the last piece was fed, before it is sent: a mismatch sets the blob aside and throws. */
        public void finish() {
            if (!Digest.of(digest.algorithm(), hash.digest()).equals(digest)) {
                check(digest, size, Throttle.none());
                throw damaged(digest);
            }
        }
    }

    private void setAside(Digest digest, String problem) {
        io(() -> blobs.quarantine(digest));
        listener.damaged(new Damage("blob", digest, null, problem + "; set aside, the next push of it stores it again"));
    }

    public static BlobDamagedException damaged(Digest digest) {
        return new BlobDamagedException("blob is missing or damaged in storage; push it again", digest.toString());
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static <T> T io(IoSupplier<T> action) {
        try {
            return action.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void io(IoAction action) {
        io(() -> {
            action.run();
            return null;
        });
    }
}
