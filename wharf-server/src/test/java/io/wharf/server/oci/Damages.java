package io.wharf.server.oci;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.stream.Stream;

/** Fault injection on a registry's data directory: what disks, operators and bugs do to stored content. */
public final class Damages {
    private Damages() {
    }

    /** Inverts one byte in place: the size stays, the digest no longer matches. */
    public static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(~b & 0xff);
        }
    }

    public static void truncate(Path file, long length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(length);
        }
    }

    /** Rewrites a manifest row's bytes behind the server's back, through SQLite itself. */
    public static void alterManifest(Path dataDir, String digest, byte[] content) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("wharf.db"));
             PreparedStatement ps = c.prepareStatement("UPDATE manifest SET content = ? WHERE digest = ?")) {
            ps.setBytes(1, content);
            ps.setString(2, digest);
            if (ps.executeUpdate() == 0) {
                throw new AssertionError("no manifest row " + digest);
            }
        }
    }

    /** Files set aside in {@code <data>/quarantine}. */
    public static long quarantined(Path dataDir) throws IOException {
        Path dir = dataDir.resolve("quarantine");
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
