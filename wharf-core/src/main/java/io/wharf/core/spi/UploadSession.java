package io.wharf.core.spi;

import java.time.Instant;

/** An upload in progress: {@code offset} is how many bytes have been acknowledged to the client. */
public record UploadSession(String id, long repositoryId, long offset, Instant startedAt, Instant expiresAt) {
}
