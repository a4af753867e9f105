package io.wharf.core.service;

import java.time.Duration;

/**
 * Explicit, configurable limits of the OCI core.
 *
 * @param maxManifestBytes largest manifest accepted (OCI suggests registries accept at least 4 MiB)
 * @param maxBlobBytes     largest blob accepted
 * @param maxPageSize      cap on {@code n} for tag and catalog listings
 * @param uploadTimeout    an upload session idle this long expires
 * @param automaticMount   whether a mount request without {@code from} may link a blob found elsewhere
 * @param uploads          lifetime and count bounds of upload sessions
 */
public record RegistryLimits(int maxManifestBytes, long maxBlobBytes, int maxPageSize, Duration uploadTimeout,
                             boolean automaticMount, UploadLimits uploads) {

    /** With the default {@link UploadLimits}. */
    public RegistryLimits(int maxManifestBytes, long maxBlobBytes, int maxPageSize, Duration uploadTimeout,
                          boolean automaticMount) {
        this(maxManifestBytes, maxBlobBytes, maxPageSize, uploadTimeout, automaticMount, UploadLimits.defaults());
    }

    public RegistryLimits withMaxBlobBytes(long max) {
        return new RegistryLimits(maxManifestBytes, max, maxPageSize, uploadTimeout, automaticMount, uploads);
    }

    public RegistryLimits withUploads(UploadLimits newUploads) {
        return new RegistryLimits(maxManifestBytes, maxBlobBytes, maxPageSize, uploadTimeout, automaticMount, newUploads);
    }

    public static RegistryLimits defaults() {
        return new RegistryLimits(4 * 1024 * 1024, 64L * 1024 * 1024 * 1024, 10_000, Duration.ofHours(1), true);
    }
}
