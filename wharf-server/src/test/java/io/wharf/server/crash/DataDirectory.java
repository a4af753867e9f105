package io.wharf.server.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * A data directory seen from outside the server: the database through a read-only SQLite connection
 * (which reads the WAL, checkpoints nothing and works whether the server is up or was killed), the
 * upload and blob files directly.
 */
final class DataDirectory {
    private final Path dir;

    DataDirectory(Path dir) {
        this.dir = dir;
    }

    /** {@code PRAGMA integrity_check}: b-trees, indexes, free list and constraints, WAL included. */
    void assertDatabaseIntact() throws SQLException {
        List<String> report = new ArrayList<>();
        try (Connection c = open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
            while (rs.next()) {
                report.add(rs.getString(1));
            }
        }
        assertThat(report).as("PRAGMA integrity_check of %s", dir.resolve("wharf.db")).containsExactly("ok");
    }

    /** Every recorded upload session: id → acknowledged offset. */
    Map<String, Long> uploadRows() throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        try (Connection c = open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, byte_offset FROM upload")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        return rows;
    }

    Path uploadFile(String id) {
        return dir.resolve("uploads").resolve(id);
    }

    List<Path> uploadFiles() throws Exception {
        try (Stream<Path> files = Files.list(dir.resolve("uploads"))) {
            return files.toList();
        }
    }

    /**
     * Every file of the blob tree holds the bytes its name is the digest of, and the tree holds (at least) every
     * acknowledged blob, so an empty or half-missing tree cannot pass.
     */
    void assertBlobTreeIntact(Set<String> acknowledged) throws Exception {
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir.resolve("blobs/sha256"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(sha256(Files.readAllBytes(f))).as("blob file %s", f).isEqualTo("sha256:" + f.getFileName());
                names.add("sha256:" + f.getFileName());
            }
        }
        assertThat(names).as("files of the blob tree").containsAll(acknowledged);
    }

    private Connection open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        return config.createConnection("jdbc:sqlite:" + dir.resolve("wharf.db").toAbsolutePath());
    }

    static String sha256(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
