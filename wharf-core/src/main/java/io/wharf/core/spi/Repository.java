package io.wharf.core.spi;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import java.time.Instant;
import java.util.Objects;

/** A repository row. {@code id} is the key every other metadata table uses. */
public record Repository(long id, String account, RepositoryName name, Instant createdAt, RepositorySettings settings) {

    public Repository {
        Objects.requireNonNull(settings, "settings");
    }

    /** A repository with default settings (as a push creates it). */
    public Repository(long id, String account, RepositoryName name, Instant createdAt) {
        this(id, account, name, createdAt, RepositorySettings.DEFAULTS);
    }
}
