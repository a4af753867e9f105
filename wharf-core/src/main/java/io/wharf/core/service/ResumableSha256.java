package io.wharf.core.service;

import java.nio.ByteBuffer;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * SHA-256 whose running state can be saved with an upload's acknowledged offset and restored on any node, so a node
 * that did not see the earlier chunks continues without reading them again. The JDK's digest cannot export its
 * state, so this is Bouncy Castle's. It is much slower than the JDK's, which uses the CPU's SHA instructions:
 * 256 MiB in 64 KiB updates on the 2-core build machine (JDK 25, SHA-NI), warm: JDK ~1,650 MiB/s (0.16 s),
 * Bouncy Castle 1.87 ~190 MiB/s (1.35 s). So only chunked uploads, which may be resumed elsewhere, use it; the
 * paths that need no resumption (monolithic uploads, integrity checks) keep the JDK's.
 */
final class ResumableSha256 {
    private static final int SCRATCH = 1 << 16;
    private final SHA256Digest digest;
    private byte[] scratch;

    private ResumableSha256(SHA256Digest digest) {
        this.digest = digest;
    }

    static ResumableSha256 fresh() {
        return new ResumableSha256(new SHA256Digest());
    }

    /**
     * The hash continued from a state {@link #state()} encoded.
     *
     * @throws IllegalArgumentException when {@code state} is not an encoded SHA-256 state
     */
    static ResumableSha256 restore(byte[] state) {
        try {
            return new ResumableSha256(new SHA256Digest(state));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a saved SHA-256 state", e);
        }
    }

    void update(ByteBuffer bytes) {
        if (bytes.hasArray()) {
            digest.update(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            bytes.position(bytes.limit());
            return;
        }
        if (scratch == null) {
            scratch = new byte[SCRATCH];
        }
        while (bytes.hasRemaining()) {
            int n = Math.min(bytes.remaining(), scratch.length);
            bytes.get(scratch, 0, n);
            digest.update(scratch, 0, n);
        }
    }

    /** The running state, for {@link #restore}; the hash goes on unchanged. */
    byte[] state() {
        return digest.getEncodedState();
    }

    /** The digest of the bytes so far, without disturbing the running state. */
    byte[] peekDigest() {
        SHA256Digest copy = new SHA256Digest(digest);
        byte[] out = new byte[copy.getDigestSize()];
        copy.doFinal(out, 0);
        return out;
    }
}
