package io.wharf.server.gc;

import io.wharf.core.model.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Random;

/**
 * A garbage backlog written straight into a stopped registry's data directory, as pushes and deletes would
 * leave it but thousands of times faster: blob files with the right digests and their rows (the V10 triggers
 * queue their reviews), half of them still linked to a repository no manifest of which references them, and
 * files without a row (what a crash leaves). Only for a data directory no server is writing to.
 */
public final class Garbage {
    private Garbage() {
    }

    /** {@code blobs} unreferenced blobs with rows (every second one linked to {@code repository}), and {@code orphans} files without one. */
    public static void add(Path dataDir, String repository, int blobs, int orphans, Random random)
            throws IOException, SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("wharf.db"))) {
            c.setAutoCommit(false);
            long repoId = repositoryId(c, repository);
            long now = System.currentTimeMillis();
            try (PreparedStatement blob = c.prepareStatement("INSERT INTO blob (digest, size, created_at) VALUES (?, ?, ?)");
                 PreparedStatement link = c.prepareStatement(
                         "INSERT INTO repository_blob (repository_id, digest, created_at) VALUES (?, ?, ?)")) {
                for (int i = 0; i < blobs; i++) {
                    byte[] content = content(random);
                    String digest = write(dataDir, content);
                    blob.setString(1, digest);
                    blob.setLong(2, content.length);
                    blob.setLong(3, now);
                    blob.addBatch();
                    if (i % 2 == 0) {
                        link.setLong(1, repoId);
                        link.setString(2, digest);
                        link.setLong(3, now);
                        link.addBatch();
                    }
                }
                blob.executeBatch();
                link.executeBatch();
            }
            c.commit();
        }
        FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
        for (int i = 0; i < orphans; i++) {
            Files.setLastModifiedTime(file(dataDir, write(dataDir, content(random))), old);
        }
    }

    private static byte[] content(Random random) {
        byte[] b = new byte[32 + random.nextInt(512)];
        random.nextBytes(b);
        return b;
    }

    private static long repositoryId(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT id FROM repository WHERE name = ?")) {
            s.setString(1, name);
            try (var rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no repository " + name);
                }
                return rs.getLong(1);
            }
        }
    }

    private static String write(Path dataDir, byte[] content) throws IOException {
        String digest = Digest.sha256Of(content).toString();
        Path file = file(dataDir, digest);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        return digest;
    }

    private static Path file(Path dataDir, String digest) {
        String hex = digest.substring("sha256:".length());
        return dataDir.resolve("blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex);
    }
}
