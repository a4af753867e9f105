package io.wharf.core.service;

import io.wharf.core.model.Encryption;
import io.wharf.core.spi.BlobStore;
import io.wharf.core.spi.EncryptionDomains;
import io.wharf.core.spi.Repository;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The integrity checks of the store a repository reads its blobs from (its encryption domain's). */
final class DomainIntegrity {
    private final EncryptionDomains domains;
    private final Damage.Listener damage;
    private final BlobIntegrity plain;
    private final BlobIntegrity anyDomain;
    private final Map<BlobStore, BlobIntegrity> byStore = new ConcurrentHashMap<>();

    DomainIntegrity(EncryptionDomains domains, BlobIntegrity plain, Damage.Listener damage) {
        this.domains = domains;
        this.plain = plain;
        this.damage = damage;
        this.anyDomain = domains.anyDomain() == plainStore() ? plain : new BlobIntegrity(domains.anyDomain(), damage);
    }

    /** The plain store's checks (what every repository used before encryption). */
    BlobIntegrity plain() {
        return plain;
    }

    /** Checks that find a blob's copy in any domain: whether the registry holds its bytes at all. */
    BlobIntegrity anyDomain() {
        return anyDomain;
    }

    /** The checks over the repository's own copies; unencrypted repositories get the plain store's, as before. */
    BlobIntegrity of(Repository repo) {
        Encryption encryption = repo.settings().encryption();
        BlobStore store = domains.blobs(encryption);
        return byStore.computeIfAbsent(store, s -> s == plainStore() ? plain : new BlobIntegrity(s, damage));
    }

    private BlobStore plainStore() {
        return domains.blobs(null);
    }
}
