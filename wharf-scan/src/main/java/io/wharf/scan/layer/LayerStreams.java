package io.wharf.scan.layer;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** The streams under the tar reader: failure tagging, compression detection, counting and hashing. */
final class LayerStreams {

    /** The blob's own stream failed (storage), as opposed to its content being damaged. */
    static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The uncompressed layer went past {@code maxLayerBytes}. */
    static final class TooLarge extends IOException {
        TooLarge(long limit) {
            super("layer larger than " + limit + " bytes uncompressed");
        }
    }

    private LayerStreams() {
    }

    /** Tags every exception of the blob's stream as a {@link SourceFailure}. */
    static InputStream source(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw new SourceFailure(e);
                }
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                try {
                    return super.read(b, off, len);
                } catch (IOException e) {
                    throw new SourceFailure(e);
                }
            }
        };
    }

    /** Decompresses by the magic bytes: gzip (all members), zstd, else the bytes as they are (tar). */
    static InputStream decompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return new GzipCompressorInputStream(in, true);
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return new ZstdInputStream(in);
        }
        return in;
    }

    /** Counts and hashes (unless {@code digest} is null) the uncompressed bytes; fails with {@link TooLarge} beyond {@code limit}. */
    static final class Hashing extends FilterInputStream {
        private final MessageDigest digest;
        private final long limit;
        private long count;

        Hashing(InputStream in, MessageDigest digest, long limit) {
            super(in);
            this.digest = digest;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
                if (digest != null) {
                    digest.update((byte) b);
                }
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                counted(n);
                if (digest != null) {
                    digest.update(b, off, n);
                }
            }
            return n;
        }

        /**
         * No mark/reset: the tar reader marks before the second end-of-archive record and resets when that record
         * is not zeros, and bytes read again would be hashed and counted twice (a wrong diffID; found by fuzzing).
         */
        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }

        private void counted(int n) throws TooLarge {
            count += n;
            if (count > limit) {
                throw new TooLarge(limit);
            }
        }

        /** Reads what the tar reader left (padding after the end blocks): the diffID covers every byte. */
        void drain() throws IOException {
            byte[] buffer = new byte[8192];
            while (read(buffer, 0, buffer.length) >= 0) {
                // counted and hashed by read
            }
        }
    }
}
