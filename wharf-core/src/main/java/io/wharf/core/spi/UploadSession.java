package io.wharf.core.spi;

import java.time.Instant;

/**
 * An upload in progress: {@code offset} is how many bytes have been acknowledged to the client;
 * {@code owner} is who opened it (a principal's ARN), so open sessions can be capped per caller.
 */
public record UploadSession(String id, long repositoryId, long offset, Instant startedAt, Instant expiresAt,
                            String owner) {
}
