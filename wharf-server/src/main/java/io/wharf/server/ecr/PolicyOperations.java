package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.registry;
import static io.wharf.server.ecr.EcrOperation.repository;

import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicySyntaxException;
import io.wharf.core.service.RepositoryService;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.StoredDocument;
import java.util.List;

/**
 * Set/Get/DeleteRepositoryPolicy and Put/Get/DeleteRegistryPolicy. Policies are validated with the
 * IAM grammar and stored verbatim (ECR pretty-prints them; clients compare documents semantically).
 */
final class PolicyOperations {
    private final RepositoryService repositories;
    private final int maxPolicyChars;

    PolicyOperations(RepositoryService repositories, int maxPolicyChars) {
        this.repositories = repositories;
        this.maxPolicyChars = maxPolicyChars;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                repository("SetRepositoryPolicy", SetRepositoryPolicyRequest.class, this::setRepositoryPolicy),
                repository("GetRepositoryPolicy", RepositoryPolicyRequest.class, this::getRepositoryPolicy),
                repository("DeleteRepositoryPolicy", RepositoryPolicyRequest.class, this::deleteRepositoryPolicy),
                registry("PutRegistryPolicy", PutRegistryPolicyRequest.class, this::putRegistryPolicy),
                registry("GetRegistryPolicy", RegistryPolicyRequest.class, this::getRegistryPolicy),
                registry("DeleteRegistryPolicy", RegistryPolicyRequest.class, this::deleteRegistryPolicy));
    }

    /** Terraform retries SetRepositoryPolicy on exactly "Invalid repository policy provided", so keep it verbatim. */
    private String validated(String text, String kind) {
        Check.length("policyText", Check.required("policyText", text), 0, maxPolicyChars);
        try {
            PolicyDocument.parse(text);
            return text;
        } catch (PolicySyntaxException e) {
            throw EcrProblem.invalid("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid " + kind
                    + " policy provided': " + e.getMessage());
        }
    }

    // ---- repository policy

    record SetRepositoryPolicyRequest(String registryId, String repositoryName, String policyText, Boolean force)
            implements EcrRequest.Repo {
    }

    record RepositoryPolicyRequest(String registryId, String repositoryName) implements EcrRequest.Repo {
    }

    record RepositoryPolicyResponse(String registryId, String repositoryName, String policyText) {
    }

    /** {@code force} skips ECR's lock-out check, which Wharf does not make; it is accepted and ignored. */
    private RepositoryPolicyResponse setRepositoryPolicy(EcrCall call, SetRepositoryPolicyRequest req) {
        String text = validated(req.policyText(), "repository");
        repositories.putDocument(call.repo(), DocumentKind.REPOSITORY_POLICY, text);
        return new RepositoryPolicyResponse(call.account(), call.repo().name().value(), text);
    }

    private RepositoryPolicyResponse getRepositoryPolicy(EcrCall call, RepositoryPolicyRequest req) {
        StoredDocument doc = repositories.document(call.repo(), DocumentKind.REPOSITORY_POLICY);
        return new RepositoryPolicyResponse(call.account(), call.repo().name().value(), doc.text());
    }

    private RepositoryPolicyResponse deleteRepositoryPolicy(EcrCall call, RepositoryPolicyRequest req) {
        StoredDocument doc = repositories.deleteDocument(call.repo(), DocumentKind.REPOSITORY_POLICY);
        return new RepositoryPolicyResponse(call.account(), call.repo().name().value(), doc.text());
    }

    // ---- registry policy

    record PutRegistryPolicyRequest(String policyText) implements EcrRequest {
    }

    record RegistryPolicyRequest() implements EcrRequest {
    }

    record RegistryPolicyResponse(String registryId, String policyText) {
    }

    private RegistryPolicyResponse putRegistryPolicy(EcrCall call, PutRegistryPolicyRequest req) {
        String text = validated(req.policyText(), "registry");
        repositories.putAccountDocument(call.account(), DocumentKind.REGISTRY_POLICY, text);
        return new RegistryPolicyResponse(call.account(), text);
    }

    private RegistryPolicyResponse getRegistryPolicy(EcrCall call, RegistryPolicyRequest req) {
        return new RegistryPolicyResponse(call.account(), repositories.registryPolicy(call.account()).text());
    }

    private RegistryPolicyResponse deleteRegistryPolicy(EcrCall call, RegistryPolicyRequest req) {
        return new RegistryPolicyResponse(call.account(), repositories.deleteRegistryPolicy(call.account()).text());
    }
}
