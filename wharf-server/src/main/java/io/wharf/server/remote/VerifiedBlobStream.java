package io.wharf.server.remote;

import io.wharf.core.model.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * A blob's bytes as the remote sends them, hashed on the way: at the end (or past the announced size) a
 * mismatch fails the read with an {@link IOException}, so a reader never takes wrong bytes for the blob.
 */
final class VerifiedBlobStream extends FilterInputStream {
    private final Digest expected;
    private final long size;
    private final MessageDigest hash;
    private long read;
    private boolean verified;

    /** @param size announced length, -1 when unknown */
    VerifiedBlobStream(InputStream in, Digest expected, long size) {
        super(in);
        this.expected = expected;
        this.size = size;
        this.hash = expected.newMessageDigest();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            verify();
            return -1;
        }
        hash.update(b, off, n);
        read += n;
        if (size >= 0 && read > size) {
            throw new IOException("blob " + expected + ": the remote sent more than the announced " + size + " bytes");
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void verify() throws IOException {
        if (verified) {
            return;
        }
        if (size >= 0 && read != size) {
            throw new IOException("blob " + expected + ": the remote sent " + read + " of " + size + " bytes");
        }
        Digest actual = Digest.of(expected.algorithm(), hash.digest());
        if (!actual.equals(expected)) {
            throw new IOException("blob " + expected + ": the remote sent bytes hashing to " + actual);
        }
        verified = true;
    }
}
