package io.wharf.storage.fs;

import com.google.crypto.tink.StreamingAead;
import io.wharf.core.model.Digest;
import io.wharf.storage.crypto.EncryptionKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The uploads of encrypted repositories: {@code <data>/encrypted-uploads/<id>/} holds the domain's name and one
 * piece per appended chunk, {@code <offset>} (zero-padded), each a Tink streaming AEAD ciphertext with the upload id
 * and offset as associated data. A piece appears (renamed from a temporary file) only once its chunk is closed, so a
 * crash leaves whole pieces; an empty chunk leaves none. Appending at an earlier offset drops the pieces after it and shortens the one it falls in.
 */
final class EncryptedUploadStore {
    private static final String DOMAIN_FILE = "domain";
    private static final int OFFSET_DIGITS = 19;

    private final Path root;
    private final EncryptionKeys keys;
    private final Function<String, EncryptedBlobStore> blobs;

    EncryptedUploadStore(Path root, EncryptionKeys keys, Function<String, EncryptedBlobStore> blobs) throws IOException {
        this.root = root;
        this.keys = keys;
        this.blobs = blobs;
        Files.createDirectories(root);
    }

    boolean holds(String id) {
        return Files.isDirectory(root.resolve(id));
    }

    void create(String id, String domain) throws IOException {
        Path dir = root.resolve(id);
        Files.createDirectory(dir);
        Files.writeString(dir.resolve(DOMAIN_FILE), domain);
        Fsync.directory(root);
    }

    WritableByteChannel append(String id, long offset) throws IOException {
        List<Piece> pieces = pieces(id);
        long length = length(pieces);
        if (offset < 0 || offset > length) {
            throw new IOException("upload " + id + " holds " + length + " bytes, cannot append at " + offset);
        }
        for (Piece p : pieces) {
            if (p.start() >= offset) {
                Files.delete(p.file());
            } else if (p.end() > offset) {
                shorten(id, p, offset);
            }
        }
        Path dir = root.resolve(id);
        Path tmp = Files.createTempFile(dir, ".piece", ".tmp");
        FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE);
        try {
            WritableByteChannel enc = key(id).newEncryptingChannel(out, associated(id, offset));
            return new Finishing(enc, tmp, dir.resolve(name(offset)));
        } catch (GeneralSecurityException e) {
            out.close();
            throw new IOException("cannot encrypt upload " + id, e);
        }
    }

    long length(String id) throws IOException {
        return length(pieces(id));
    }

    /** The plaintext from the start: the pieces decrypted one after the other. */
    ReadableByteChannel read(String id) throws IOException {
        List<InputStream> streams = new ArrayList<>();
        for (Piece p : pieces(id)) {
            streams.add(Channels.newInputStream(decrypt(id, p.start(), p.file())));
        }
        return Channels.newChannel(new SequenceInputStream(Collections.enumeration(streams)));
    }

    /** Encrypts the first {@code length} bytes as the domain's blob, then removes the upload. */
    void commit(String id, long length, Digest digest) throws IOException {
        long stored = length(id);
        if (length < 0 || length > stored) {
            throw new IOException("upload " + id + " holds " + stored + " bytes, cannot commit " + length);
        }
        try (ReadableByteChannel in = read(id)) {
            InputStream limited = Channels.newInputStream(in);
            blobs.apply(domain(id)).store(digest, Channels.newChannel(new java.io.BufferedInputStream(
                    new LimitedStream(limited, length))));
        }
        delete(id);
    }

    void delete(String id) throws IOException {
        Path dir = root.resolve(id);
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    Instant lastModified(String id) throws IOException {
        try (Stream<Path> files = Files.list(root.resolve(id))) {
            Instant newest = Files.getLastModifiedTime(root.resolve(id)).toInstant();
            for (Path f : files.toList()) {
                Instant t = Files.getLastModifiedTime(f).toInstant();
                newest = t.isAfter(newest) ? t : newest;
            }
            return newest;
        }
    }

    List<String> list() throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private record Piece(long start, long end, Path file) {
    }

    private List<Piece> pieces(String id) throws IOException {
        Path dir = root.resolve(id);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString());
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("\\d{" + OFFSET_DIGITS + "}"))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
        List<Piece> out = new ArrayList<>();
        for (Path f : files) {
            long start = Long.parseLong(f.getFileName().toString());
            try (SeekableByteChannel in = decrypt(id, start, f)) {
                out.add(new Piece(start, start + in.size(), f));
            }
        }
        return out;
    }

    private static long length(List<Piece> pieces) {
        return pieces.isEmpty() ? 0 : pieces.getLast().end();
    }

    /** Rewrites a piece with only its bytes before {@code offset}. */
    private void shorten(String id, Piece p, long offset) throws IOException {
        Path tmp = Files.createTempFile(root.resolve(id), ".piece", ".tmp");
        try (SeekableByteChannel in = decrypt(id, p.start(), p.file());
             FileChannel file = FileChannel.open(tmp, StandardOpenOption.WRITE);
             WritableByteChannel out = key(id).newEncryptingChannel(file, associated(id, p.start()))) {
            EncryptedBlobStore.copy(Channels.newChannel(new LimitedStream(Channels.newInputStream(in),
                    offset - p.start())), out, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encrypt upload " + id, e);
        }
        Files.move(tmp, p.file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private SeekableByteChannel decrypt(String id, long start, Path file) throws IOException {
        FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
        try {
            return EncryptedBlobStore.primed(key(id).newSeekableDecryptingChannel(in, associated(id, start)));
        } catch (GeneralSecurityException e) {
            in.close();
            throw new IOException("cannot decrypt upload " + id, e);
        }
    }

    private StreamingAead key(String id) throws IOException {
        return keys.dataKey(domain(id));
    }

    private String domain(String id) throws IOException {
        return Files.readString(root.resolve(id).resolve(DOMAIN_FILE)).trim();
    }

    private static String name(long offset) {
        return String.format("%0" + OFFSET_DIGITS + "d", offset);
    }

    private static byte[] associated(String id, long offset) {
        return ("upload:" + id + ":" + offset).getBytes(StandardCharsets.UTF_8);
    }

    /** Renames the piece into place once its last segment is written. */
    private static final class Finishing implements WritableByteChannel {
        private final WritableByteChannel enc;
        private final Path tmp;
        private final Path target;

        Finishing(WritableByteChannel enc, Path tmp, Path target) {
            this.enc = enc;
            this.tmp = tmp;
            this.target = target;
        }

        private long written;

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = enc.write(src);
            written += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return enc.isOpen();
        }

        @Override
        public void close() throws IOException {
            if (!enc.isOpen()) {
                return;
            }
            enc.close();
            if (written == 0) {
                Files.delete(tmp); // an empty chunk adds nothing: no piece
                return;
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** At most {@code limit} bytes of a stream. */
    private static final class LimitedStream extends java.io.FilterInputStream {
        private long left;

        LimitedStream(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = super.read();
            left -= b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            left -= Math.max(n, 0);
            return n;
        }
    }
}
