package io.wharf.core.spi;

import io.wharf.core.model.RepositoryName;
import java.time.Instant;

/** A repository row. {@code id} is the key every other metadata table uses. */
public record Repository(long id, String account, RepositoryName name, Instant createdAt) {
}
