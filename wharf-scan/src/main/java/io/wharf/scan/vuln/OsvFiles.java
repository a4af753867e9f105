package io.wharf.scan.vuln;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.spi.AdvisoryIndex.StoredAdvisory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads one data file and yields its advisories, recognising the format by content: a zip (OSV {@code all.zip},
 * one record per entry), a JSON array of OSV records, one OSV record, an Alpine secdb file (its fields
 * {@code distroversion}, {@code packages}…), else the Debian tracker's map of source packages (streamed one
 * package at a time). Every read is capped ({@link OsvImport.Limits}); a damaged file throws an
 * {@link IOException} naming the file, the zip entry and the line and column.
 */
final class OsvFiles {
    private static final Set<String> OSV_FIELDS = Set.of("schema_version", "id", "modified", "published",
            "withdrawn", "aliases", "related", "upstream", "summary", "details", "severity", "affected", "references",
            "credits", "database_specific");
    private static final Set<String> SECDB_FIELDS = Set.of("apkurl", "archs", "distroversion", "packages",
            "reponame", "urlprefix");

    private OsvFiles() {
    }

    /** Records skipped as unusable (no id), and advisories yielded so far (capped). */
    static final class Counts {
        long skipped;
        long yielded;
    }

    /** What one read needs: where it is, the caps, the counts and the sink. */
    private record Reading(Path file, String entry, OsvImport.Limits limits, Counts counts,
                           Consumer<StoredAdvisory> sink) {

        IOException error(String what, JsonLocation at) {
            String where = entry == null ? file.toString() : file + " (entry " + entry + ")";
            String position = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return new IOException(where + ": " + what + position);
        }

        Reading in(String entryName) {
            return new Reading(file, entryName, limits, counts, sink);
        }
    }

    static void read(Path file, OsvImport.Limits limits, Counts counts, Consumer<StoredAdvisory> sink)
            throws IOException {
        Reading r = new Reading(file, null, limits, counts, sink);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            in.mark(4);
            byte[] magic = in.readNBytes(4);
            in.reset();
            if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
                zip(in, r);
            } else {
                json(new Bounded(in, limits.maxFileBytes(), file + ": larger than " + limits.maxFileBytes() + " bytes"), r);
            }
        }
    }

    private static void zip(InputStream in, Reading r) throws IOException {
        long total = 0;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                if (++entries > r.limits().maxZipEntries()) {
                    throw r.error("more than " + r.limits().maxZipEntries() + " zip entries", null);
                }
                if (e.isDirectory() || !e.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".json")) {
                    continue;
                }
                byte[] bytes = zip.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, r.limits().maxRecordBytes() + 1));
                if (bytes.length > r.limits().maxRecordBytes()) {
                    throw r.in(e.getName()).error("entry larger than " + r.limits().maxRecordBytes() + " bytes", null);
                }
                total += bytes.length;
                if (total > r.limits().maxZipBytes()) {
                    throw r.error("more than " + r.limits().maxZipBytes() + " bytes uncompressed", null);
                }
                json(new java.io.ByteArrayInputStream(bytes), r.in(e.getName()));
            }
        }
        if (entries == 0) {
            throw r.error("a zip without entries (damaged?)", null);
        }
    }

    private static void json(InputStream in, Reading r) throws IOException {
        try (JsonParser p = OsvRecords.JSON.getFactory().createParser(in)) {
            try {
                document(p, r);
            } catch (JsonProcessingException e) {
                throw r.error(e.getOriginalMessage(), e.getLocation());
            }
        }
    }

    private static void document(JsonParser p, Reading r) throws IOException {
        JsonToken first = p.nextToken();
        if (first == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
                record(p.readValueAsTree(), r);
            }
        } else if (first == JsonToken.START_OBJECT) {
            object(p, r);
        } else {
            throw r.error("not a JSON object or array", p.currentLocation());
        }
        if (p.currentToken() != JsonToken.END_ARRAY && p.currentToken() != JsonToken.END_OBJECT) {
            throw r.error("unexpected " + p.currentToken(), p.currentLocation());
        }
        if (p.nextToken() != null) {
            throw r.error("trailing content", p.currentLocation());
        }
    }

    /** An object: its first field says what it is. */
    private static void object(JsonParser p, Reading r) throws IOException {
        String field = p.nextFieldName();
        if (field == null) {
            return; // {} : nothing
        }
        if (OSV_FIELDS.contains(field) || SECDB_FIELDS.contains(field)) {
            ObjectNode whole = rest(p, field);
            if (SECDB_FIELDS.contains(field) && whole.has("packages") && whole.has("distroversion")) {
                for (Advisory a : AlpineSecdb.convert(whole)) {
                    emit(OsvRecords.stored(a), r);
                }
            } else {
                record(whole, r);
            }
            return;
        }
        for (; field != null; field = p.nextFieldName()) {
            p.nextToken();
            JsonNode cves = p.readValueAsTree();
            for (Advisory a : DebianTracker.convert(field, cves)) {
                emit(OsvRecords.stored(a), r);
            }
        }
    }

    /** The rest of an object whose first field name was just read, as a tree. */
    private static ObjectNode rest(JsonParser p, String first) throws IOException {
        ObjectNode node = OsvRecords.JSON.createObjectNode();
        for (String field = first; field != null; field = p.nextFieldName()) {
            p.nextToken();
            node.set(field, p.readValueAsTree());
        }
        return node;
    }

    private static void record(JsonNode record, Reading r) throws IOException {
        if (OsvRecords.withdrawn(record) && OsvRecords.text(record, "id") != null) {
            emit(OsvRecords.withdrawal(OsvRecords.text(record, "id").strip(), OsvRecords.text(record, "modified")), r);
            return;
        }
        Advisory a = OsvRecords.parse(record);
        if (a == null) {
            r.counts().skipped++;
        } else {
            emit(OsvRecords.stored(a), r);
        }
    }

    private static void emit(StoredAdvisory a, Reading r) throws IOException {
        if (++r.counts().yielded > r.limits().maxRecords()) {
            throw r.error("more than " + r.limits().maxRecords() + " advisories", null);
        }
        r.sink().accept(a);
    }

    /** Fails once more than {@code max} bytes were read. */
    private static final class Bounded extends java.io.FilterInputStream {
        private final long max;
        private final String message;
        private long read;

        Bounded(InputStream in, long max, String message) {
            super(in);
            this.max = max;
            this.message = message;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(long n) throws IOException {
            read += n;
            if (read > max) {
                throw new IOException(message);
            }
        }
    }
}
