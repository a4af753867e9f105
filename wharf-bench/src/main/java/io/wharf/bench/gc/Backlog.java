package io.wharf.bench.gc;

import io.wharf.storage.jdbc.SqliteMetadataStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Random;

/**
 * A garbage backlog written straight into a data directory no server holds, as deleted images leave it: blob
 * files with the right digests, their rows, and their links to a repository none of whose manifests references
 * them (the V10 triggers queue every one for review). Writing it through the API would take longer than
 * collecting it.
 */
final class Backlog {
    static final String REPOSITORY = "bench/garbage";
    private final Path dataDir;
    private final Random random;

    Backlog(Path dataDir, long seed) {
        this.dataDir = dataDir;
        this.random = new Random(seed);
    }

    /** Creates the database (migrations) when it is not there yet. */
    static void initialize(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        SqliteMetadataStore.open(dataDir).close();
    }

    /** {@code count} small blobs of 100 B – 2 KiB. Returns their bytes. */
    long small(int count) throws IOException, SQLException {
        try (Rows rows = new Rows(dataDir)) {
            long bytes = 0;
            for (int i = 0; i < count; i++) {
                byte[] content = new byte[100 + random.nextInt(1948)];
                random.nextBytes(content);
                String digest = "sha256:" + HexFormat.of().formatHex(sha256().digest(content));
                Files.write(createFile(digest), content);
                rows.add(digest, content.length);
                bytes += content.length;
            }
            return bytes;
        }
    }

    /**
     * {@code count} blobs of {@code mib} MiB each: one random body, hashed once, and a different 8-byte trailer
     * per blob (SHA-256 goes on from the body's state), so each file is distinct and named by its real digest.
     */
    long large(int count, int mib) throws IOException, SQLException {
        ByteBuffer body = ByteBuffer.allocateDirect(mib << 20);
        byte[] chunk = new byte[1 << 20];
        MessageDigest prefix = sha256();
        for (int i = 0; i < mib; i++) {
            random.nextBytes(chunk);
            body.put(chunk);
            prefix.update(chunk);
        }
        long seed = random.nextLong();
        try (Rows rows = new Rows(dataDir)) {
            for (int i = 0; i < count; i++) {
                ByteBuffer trailer = ByteBuffer.allocate(8).putLong(0, seed + i);
                MessageDigest md = clone(prefix);
                md.update(trailer.array());
                String digest = "sha256:" + HexFormat.of().formatHex(md.digest());
                try (FileChannel ch = FileChannel.open(createFile(digest), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    writeAll(ch, body.duplicate().flip().position(0).limit(mib << 20));
                    writeAll(ch, trailer.duplicate().clear());
                }
                rows.add(digest, ((long) mib << 20) + 8);
            }
        }
        return (long) count * ((long) mib << 20) + 8L * count;
    }

    private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private Path createFile(String digest) throws IOException {
        String hex = digest.substring("sha256:".length());
        Path dir = dataDir.resolve("blobs/sha256").resolve(hex.substring(0, 2));
        Files.createDirectories(dir);
        return dir.resolve(hex);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest clone(MessageDigest md) {
        try {
            return (MessageDigest) md.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Blob rows and links in one transaction, committed on close. */
    private static final class Rows implements AutoCloseable {
        private final Connection c;
        private final PreparedStatement blob;
        private final PreparedStatement link;
        private final long repositoryId;
        private final long now = System.currentTimeMillis();

        Rows(Path dataDir) throws SQLException {
            c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteMetadataStore.FILE_NAME));
            try (var s = c.createStatement()) {
                s.execute("INSERT INTO repository (account, name, created_at) VALUES ('000000000000', '" + REPOSITORY
                        + "', " + now + ") ON CONFLICT (account, name) DO NOTHING");
                try (var rs = s.executeQuery("SELECT id FROM repository WHERE name = '" + REPOSITORY + "'")) {
                    rs.next();
                    repositoryId = rs.getLong(1);
                }
            }
            c.setAutoCommit(false);
            blob = c.prepareStatement("INSERT INTO blob (digest, size, created_at) VALUES (?, ?, ?)");
            link = c.prepareStatement("INSERT INTO repository_blob (repository_id, digest, created_at) VALUES (?, ?, ?)");
        }

        void add(String digest, long size) throws SQLException {
            blob.setString(1, digest);
            blob.setLong(2, size);
            blob.setLong(3, now);
            blob.executeUpdate();
            link.setLong(1, repositoryId);
            link.setString(2, digest);
            link.setLong(3, now);
            link.executeUpdate();
        }

        @Override
        public void close() throws SQLException {
            c.commit();
            c.close();
        }
    }
}
