package io.wharf.scan.vuln;

import io.wharf.core.spi.AdvisoryIndex;
import io.wharf.core.spi.AdvisoryIndex.ImportResult;
import io.wharf.core.spi.AdvisoryIndex.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Imports vulnerability data files into an {@link AdvisoryIndex}: a single OSV {@code *.json} record, a JSON array
 * of records, an OSV {@code all.zip}, a mirror directory ({@code ecosystems.txt} + {@code <ECOSYSTEM>/all.zip}, or
 * any tree of json/zip files), the Debian security tracker's JSON and Alpine secdb JSON, each recognised by its
 * content ({@link OsvFiles}). One file is one transaction: a file that fails to parse halfway changes nothing
 * and yields a {@link FileResult} whose error names the file and the position.
 */
public final class OsvImport {
    /** Directories are walked this deep at most (a mirror is two levels). */
    static final int MAX_DEPTH = 8;

    private OsvImport() {
    }

    /**
     * Caps on what one import reads (untrusted files).
     *
     * @param maxFileBytes   a plain JSON file's size
     * @param maxRecordBytes one record (a zip entry, one package of the Debian tracker, a whole secdb file)
     * @param maxZipEntries  entries of one zip
     * @param maxZipBytes    the uncompressed total of one zip's entries
     * @param maxRecords     advisories one file may yield
     * @param maxFiles       files one directory import reads
     */
    public record Limits(long maxFileBytes, long maxRecordBytes, int maxZipEntries, long maxZipBytes, long maxRecords,
                         int maxFiles) {
        public static final Limits DEFAULTS = new Limits(1L << 30, 64L << 20, 2_000_000, 8L << 30, 5_000_000, 10_000);
    }

    /** What one file did: the index's result, the records skipped as unusable, or an error (nothing written). */
    public record FileResult(Path file, ImportResult result, long skipped, String error) {
        public boolean failed() {
            return error != null;
        }
    }

    /** {@link #importPath(AdvisoryIndex, Path, Clock, Limits)} with {@link Limits#DEFAULTS}. */
    public static List<FileResult> importPath(AdvisoryIndex index, Path path, Clock clock) throws IOException {
        return importPath(index, path, clock, Limits.DEFAULTS);
    }

    /** Imports a file, or every data file of a directory (each in its own transaction), in path order. */
    public static List<FileResult> importPath(AdvisoryIndex index, Path path, Clock clock, Limits limits)
            throws IOException {
        List<FileResult> out = new ArrayList<>();
        for (Path file : files(path, limits)) {
            out.add(importFile(index, file, clock, limits, null));
        }
        return out;
    }

    /** Imports one file in one transaction, remembering {@code source} with it when not null. */
    public static FileResult importFile(AdvisoryIndex index, Path file, Clock clock, Limits limits, SourceFile source) {
        OsvFiles.Counts counts = new OsvFiles.Counts();
        try {
            ImportResult r = index.importAdvisories(sink -> OsvFiles.read(file, limits, counts, sink), clock.instant(),
                    source);
            return new FileResult(file, r, counts.skipped, null);
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new FileResult(file, null, 0, why.startsWith(file.toString()) ? why : file + ": " + why);
        }
    }

    /**
     * The data files under {@code path}: the path itself when it is a file; for a directory with an
     * {@code ecosystems.txt}, each listed ecosystem's {@code all.zip}; else every {@code *.json} and {@code *.zip}
     * below it (symbolic links not followed), sorted.
     */
    public static List<Path> files(Path path, Limits limits) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoSuchFileException(path.toString());
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        Path listing = path.resolve("ecosystems.txt");
        List<Path> out = Files.isRegularFile(listing) ? mirror(path, listing) : tree(path);
        if (out.size() > limits.maxFiles()) {
            throw new IOException(path + ": more than " + limits.maxFiles() + " data files");
        }
        return out;
    }

    private static List<Path> mirror(Path root, Path listing) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(listing)) {
            String eco = line.strip();
            if (eco.isEmpty() || eco.contains("/") || eco.contains("\\") || eco.startsWith(".")) {
                continue; // no way out of the mirror
            }
            Path zip = root.resolve(eco).resolve("all.zip");
            if (Files.isRegularFile(zip, LinkOption.NOFOLLOW_LINKS)) {
                out.add(zip);
            }
        }
        return out;
    }

    private static List<Path> tree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root, MAX_DEPTH, new FileVisitOption[0])) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".json") || n.endsWith(".zip");
                    })
                    .sorted().toList();
        }
    }

    /** The file as the watch job remembers it: path, size, modification time and SHA-256. */
    public static SourceFile describe(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return new SourceFile(file.toAbsolutePath().normalize().toString(), Files.size(file),
                Files.getLastModifiedTime(file).toInstant(), HexFormat.of().formatHex(sha.digest()));
    }
}
