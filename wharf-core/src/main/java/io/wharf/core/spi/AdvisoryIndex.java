package io.wharf.core.spi;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The imported vulnerability advisories (OSV records and what converters make of other feeds), shared by every
 * node of a deployment. Wharf ships none; operators import them.
 */
public interface AdvisoryIndex {

    /** Which packages an advisory names: an OSV ecosystem (e.g. {@code Debian:12}, {@code npm}) and a package name. */
    record AdvisoryKey(String ecosystem, String name) {
    }

    /**
     * One advisory as stored: its id, when its source last changed it, the packages it names, and its document
     * (a normalized JSON form the scanner writes and reads; opaque to the store). A null document withdraws
     * the advisory: it is removed.
     */
    record StoredAdvisory(String id, Instant modified, Set<AdvisoryKey> keys, String document) {
    }

    /**
     * @param generation     grows with every import that changed something (scans remember the generation they used)
     * @param newestModified the newest {@code modified} of the stored advisories, or null when there are none
     * @param importedAt     the last import that changed something, or null
     */
    record AdvisoryState(long generation, long count, Instant newestModified, Instant importedAt) {
    }

    /** What one import did. */
    record ImportResult(long written, long unchanged, long withdrawn, AdvisoryState state) {
    }

    /** Yields the advisories of one import; may throw midway (a damaged file), which must change nothing. */
    @FunctionalInterface
    interface AdvisoryFeed {
        void forEach(Consumer<StoredAdvisory> sink) throws IOException;
    }

    /**
     * Stores everything {@code feed} yields in one transaction: each advisory replaces the stored one with its
     * id, an identical one (same id, modified and document) is left alone. If the feed throws, nothing changes.
     */
    default ImportResult importAdvisories(AdvisoryFeed feed, Instant now) throws IOException {
        return importAdvisories(feed, now, null);
    }

    /**
     * As {@link #importAdvisories(AdvisoryFeed, Instant)}, and remembers {@code source} (when not null) in the same
     * transaction, so that a watched directory imports each file version once.
     */
    ImportResult importAdvisories(AdvisoryFeed feed, Instant now, SourceFile source) throws IOException;

    /** A file an import read: its path (as the importer names it), size, modification time and SHA-256 (hex). */
    record SourceFile(String path, long size, Instant modifiedAt, String sha256) {
    }

    /** The last imported version of the file at {@code path}, if any. */
    Optional<SourceFile> sourceFile(String path);

    /** The advisories naming this package in this ecosystem (exact strings, as the scanner normalized them). */
    List<StoredAdvisory> advisories(String ecosystem, String name);

    AdvisoryState advisoryState();
}
