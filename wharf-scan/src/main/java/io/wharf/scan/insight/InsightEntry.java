package io.wharf.scan.insight;

import java.util.Comparator;

/**
 * One entry of a layer as insight keeps it.
 *
 * @param path   normalized (no leading {@code /}); for a whiteout the path it removes, for an opaque marker the directory
 * @param size   bytes of a regular file, else 0
 * @param hash   the first 16 bytes of the file's SHA-256 (regular files only, else null): tells a duplicate apart
 * @param target a link's target as the tar names it, else null
 */
public record InsightEntry(String path, Type type, long size, byte[] hash, String target) {

    /** Path order, then type order: the order of a layer's entries and chunks. */
    public static final Comparator<InsightEntry> ORDER = Comparator.comparing(InsightEntry::path)
            .thenComparing(InsightEntry::type);

    /** What the entry is; a layer holds at most one of each type per path. */
    public enum Type {
        FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER, WHITEOUT, OPAQUE;

        /** Whether the entry removes lower content rather than putting something at its path. */
        public boolean removes() {
            return this == WHITEOUT || this == OPAQUE;
        }
    }
}
