package io.wharf.core.service;

import java.time.Duration;

/**
 * Bounds on upload sessions, so that abandoned or trickling uploads cannot hold disk for ever.
 *
 * @param maxLifetime     a session expires this long after it started, however busy (the idle timeout
 *                        is {@link RegistryLimits#uploadTimeout()})
 * @param maxOpenPerOwner unexpired sessions one principal may hold
 * @param maxOpen         unexpired sessions the registry holds in total
 */
public record UploadLimits(Duration maxLifetime, int maxOpenPerOwner, int maxOpen) {

    public static UploadLimits defaults() {
        return new UploadLimits(Duration.ofHours(6), 256, 10_000);
    }
}
