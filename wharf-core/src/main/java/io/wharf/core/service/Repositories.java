package io.wharf.core.service;

import io.wharf.core.error.NameUnknownException;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.Repository;
import java.time.Clock;

/** Resolves repository names to rows. Pushes create repositories implicitly, as OCI registries do. */
final class Repositories {
    private final MetadataStore meta;
    private final Clock clock;

    Repositories(MetadataStore meta, Clock clock) {
        this.meta = meta;
        this.clock = clock;
    }

    Repository require(RepoKey key) {
        return meta.findRepository(key.account(), key.name())
                .orElseThrow(() -> new NameUnknownException("repository name not known to registry", key.name().value()));
    }

    Repository forWrite(RepoKey key) {
        return meta.findRepository(key.account(), key.name())
                .orElseGet(() -> meta.createRepository(key.account(), key.name(), clock.instant()));
    }
}
