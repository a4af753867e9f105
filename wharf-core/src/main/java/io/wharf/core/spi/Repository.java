package io.wharf.core.spi;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.RepositorySettings;
import java.time.Instant;
import java.util.Objects;

/**
 * A repository row. {@code id} is the key every other metadata table uses. {@code scanOnPushChangedAt}: when the
 * scan-on-push flag last changed (null: not since the repository was created).
 */
public record Repository(long id, String account, RepositoryName name, Instant createdAt, RepositorySettings settings,
                         Instant scanOnPushChangedAt) {

    public Repository {
        Objects.requireNonNull(settings, "settings");
    }

    public Repository(long id, String account, RepositoryName name, Instant createdAt, RepositorySettings settings) {
        this(id, account, name, createdAt, settings, null);
    }

    /** Since when the scan-on-push flag has had its value. */
    public Instant scanOnPushSince() {
        return scanOnPushChangedAt != null ? scanOnPushChangedAt : createdAt;
    }

    /** A repository with default settings (as a push creates it). */
    public Repository(long id, String account, RepositoryName name, Instant createdAt) {
        this(id, account, name, createdAt, RepositorySettings.DEFAULTS);
    }
}
