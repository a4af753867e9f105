package io.wharf.scan.catalog.lang;

/**
 * Caps that keep the language catalogers bounded on hostile layers.
 *
 * @param maxTextBytes      largest manifest or lock file read (package.json, package-lock.json, yarn.lock,
 *                          METADATA, Cargo.lock, gemspec); bigger files are skipped
 * @param maxArchiveBytes   decompressed bytes read from one top-level Java archive, nested archives included
 *                          (zip bombs stop here; what was found before the cap is kept)
 * @param maxArchiveDepth   nesting depth of archives inside archives (1 = no nested archives read)
 * @param maxGoBinaryBytes  largest executable searched for Go build information
 */
public record LanguageLimits(long maxTextBytes, long maxArchiveBytes, int maxArchiveDepth, long maxGoBinaryBytes) {

    public static final LanguageLimits DEFAULTS =
            new LanguageLimits(32L << 20, 1L << 30, 3, 256L << 20);

    public LanguageLimits {
        if (maxTextBytes <= 0 || maxArchiveBytes <= 0 || maxArchiveDepth <= 0 || maxGoBinaryBytes <= 0) {
            throw new IllegalArgumentException("language cataloger limits must be positive");
        }
    }
}
