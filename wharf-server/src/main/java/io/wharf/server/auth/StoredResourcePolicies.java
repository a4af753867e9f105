package io.wharf.server.auth;

import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicySyntaxException;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.StoredDocument;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repository and registry policies as the ECR API stored them, read on every authorization so a
 * change applies to the very next request. The reads are cheap: the embedded store answers them from
 * memory until its next commit, which any write path invalidates (see the storage's ReadCache), and
 * each distinct policy text is parsed once.
 */
public final class StoredResourcePolicies implements ResourcePolicies {
    private static final Logger LOG = LoggerFactory.getLogger(StoredResourcePolicies.class);
    /** Beyond this many distinct texts the parse memo starts over rather than grow without bound. */
    private static final int MAX_PARSED = 1024;

    private final MetadataStore metadata;
    private final Map<String, Optional<PolicyDocument>> parsed = new ConcurrentHashMap<>();

    public StoredResourcePolicies(MetadataStore metadata) {
        this.metadata = metadata;
    }

    @Override
    public PolicyDocument repositoryPolicy(String account, String repositoryName) {
        RepositoryName name;
        try {
            name = RepositoryName.parse(repositoryName);
        } catch (RuntimeException e) {
            return null; // not a valid name, so no repository and no policy
        }
        return metadata.findRepository(account, name)
                .flatMap(r -> metadata.repositoryDocument(r.id(), DocumentKind.REPOSITORY_POLICY))
                .flatMap(d -> parse(d, account + "/" + repositoryName)).orElse(null);
    }

    @Override
    public PolicyDocument registryPolicy(String account) {
        return metadata.accountDocument(account, DocumentKind.REGISTRY_POLICY).flatMap(d -> parse(d, account)).orElse(null);
    }

    private Optional<PolicyDocument> parse(StoredDocument doc, String owner) {
        Optional<PolicyDocument> known = parsed.get(doc.text());
        if (known != null) {
            return known;
        }
        Optional<PolicyDocument> policy;
        try {
            policy = Optional.of(PolicyDocument.parse(doc.text()));
        } catch (PolicySyntaxException e) {
            // accepted when it was set; one this version cannot read grants nothing
            LOG.warn("ignoring the stored policy of {}: {}", owner, e.getMessage());
            policy = Optional.empty();
        }
        if (parsed.size() >= MAX_PARSED) {
            parsed.clear();
        }
        parsed.put(doc.text(), policy);
        return policy;
    }
}
