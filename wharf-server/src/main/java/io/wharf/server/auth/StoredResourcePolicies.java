package io.wharf.server.auth;

import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicySyntaxException;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.StoredDocument;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repository and registry policies as the ECR API stored them, parsed once per cache period so a
 * {@code /v2/} request costs no database read in the common case. A policy change applies within
 * the TTL, like IAM's own propagation delay.
 */
public final class StoredResourcePolicies implements ResourcePolicies {
    private static final Logger LOG = LoggerFactory.getLogger(StoredResourcePolicies.class);

    private final MetadataStore metadata;
    private final TtlCache<String, Optional<PolicyDocument>> repositories;
    private final TtlCache<String, Optional<PolicyDocument>> registries;

    public StoredResourcePolicies(MetadataStore metadata, Clock clock, Duration ttl) {
        this.metadata = metadata;
        this.repositories = new TtlCache<>(ttl, clock);
        this.registries = new TtlCache<>(ttl, clock);
    }

    @Override
    public PolicyDocument repositoryPolicy(String account, String repositoryName) {
        return repositories.get(account + "/" + repositoryName, k -> loadRepository(account, repositoryName)).orElse(null);
    }

    @Override
    public PolicyDocument registryPolicy(String account) {
        return registries.get(account, a -> parse(metadata.accountDocument(a, DocumentKind.REGISTRY_POLICY), a)).orElse(null);
    }

    private Optional<PolicyDocument> loadRepository(String account, String name) {
        RepositoryName parsed;
        try {
            parsed = RepositoryName.parse(name);
        } catch (RuntimeException e) {
            return Optional.empty(); // not a valid name, so no repository and no policy
        }
        return metadata.findRepository(account, parsed)
                .flatMap(r -> parse(metadata.repositoryDocument(r.id(), DocumentKind.REPOSITORY_POLICY), account + "/" + name));
    }

    private static Optional<PolicyDocument> parse(Optional<StoredDocument> doc, String owner) {
        try {
            return doc.map(d -> PolicyDocument.parse(d.text()));
        } catch (PolicySyntaxException e) {
            // accepted when it was set; one this version cannot read grants nothing
            LOG.warn("ignoring the stored policy of {}: {}", owner, e.getMessage());
            return Optional.empty();
        }
    }
}
