package io.wharf.server.gc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What a data directory must look like once garbage collection has caught up: read straight from the blob tree
 * and from the SQLite file, not through the registry's own code.
 */
public final class GcChecks {

    /** The blob tree and the tables that speak of it. */
    public record Storage(Map<String, Long> files, Map<String, Long> rows, Set<String> referenced,
                          Set<String> unreferencedLinks, String integrity) {
    }

    private GcChecks() {
    }

    public static Storage read(Path dataDir) throws IOException, SQLException {
        Map<String, Long> files = files(dataDir.resolve("blobs"));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("wharf.db"));
             Statement s = c.createStatement()) {
            Map<String, Long> rows = new HashMap<>();
            try (ResultSet rs = s.executeQuery("SELECT digest, size FROM blob")) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getLong(2));
                }
            }
            Set<String> referenced = strings(s, "SELECT DISTINCT child_digest FROM manifest_ref WHERE kind = 'blob'");
            Set<String> unreferencedLinks = strings(s, "SELECT rb.repository_id || ' ' || rb.digest FROM repository_blob rb"
                    + " WHERE NOT EXISTS (SELECT 1 FROM manifest_ref mr WHERE mr.repository_id = rb.repository_id"
                    + " AND mr.child_digest = rb.digest AND mr.kind = 'blob')");
            String integrity = String.join("\n", strings(s, "PRAGMA integrity_check"));
            return new Storage(files, rows, referenced, unreferencedLinks, integrity);
        }
    }

    /** Every row has its file at its size, every file its row, and every manifest's blob is there. */
    public static void assertConsistent(Storage st) {
        assertThat(st.integrity()).as("PRAGMA integrity_check").isEqualTo("ok");
        Set<String> rowsWithoutFile = new HashSet<>(st.rows().keySet());
        rowsWithoutFile.removeAll(st.files().keySet());
        assertThat(rowsWithoutFile).as("blob rows whose file is missing").isEmpty();
        st.rows().forEach((d, size) -> assertThat(st.files().get(d)).as("size of the file of " + d).isEqualTo(size));
        Set<String> referencedWithoutRow = new HashSet<>(st.referenced());
        referencedWithoutRow.removeAll(st.rows().keySet());
        assertThat(referencedWithoutRow).as("blobs referenced by a manifest without a row").isEmpty();
    }

    /** {@link #assertConsistent}, and nothing left that no manifest references: no file, no row, no link. */
    public static void assertCollected(Storage st) {
        assertConsistent(st);
        Set<String> filesWithoutRow = new HashSet<>(st.files().keySet());
        filesWithoutRow.removeAll(st.rows().keySet());
        assertThat(filesWithoutRow).as("blob files without a row").isEmpty();
        Set<String> unreferenced = new HashSet<>(st.rows().keySet());
        unreferenced.removeAll(st.referenced());
        assertThat(unreferenced).as("blobs no manifest references").isEmpty();
        assertThat(st.unreferencedLinks()).as("repository links no manifest of the repository references").isEmpty();
    }

    /** Blob files by digest; a file a running collector deletes while this walks is simply not there. */
    private static Map<String, Long> files(Path blobs) throws IOException {
        Map<String, Long> out = new HashMap<>();
        for (Path algorithm : list(blobs)) {
            for (Path shard : list(algorithm)) {
                for (Path file : list(shard)) {
                    try {
                        out.put(algorithm.getFileName() + ":" + file.getFileName(), Files.size(file));
                    } catch (NoSuchFileException gone) {
                        // deleted meanwhile
                    }
                }
            }
        }
        return out;
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.toList();
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
    }

    private static Set<String> strings(Statement s, String sql) throws SQLException {
        Set<String> out = new HashSet<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** Digests of {@code images}' blobs. */
    public static Set<String> blobsOf(List<OciClient.Image> images) {
        Set<String> out = new HashSet<>();
        images.forEach(i -> i.blobs().forEach(b -> out.add(OciClient.digest(b))));
        return out;
    }
}
