package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.repository;

import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.lifecycle.LifecyclePolicyException;
import io.wharf.core.service.RepositoryService;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.StoredDocument;
import java.time.Instant;
import java.util.List;

/**
 * Put/Get/DeleteLifecyclePolicy: the policy is validated with the full grammar and stored verbatim.
 * {@code lastEvaluatedAt} is omitted until a lifecycle run has evaluated the policy.
 */
final class LifecycleOperations {
    private final RepositoryService repositories;
    private final int maxChars;

    LifecycleOperations(RepositoryService repositories, int maxChars) {
        this.repositories = repositories;
        this.maxChars = maxChars;
    }

    List<EcrOperation<?>> operations() {
        return List.of(
                repository("PutLifecyclePolicy", PutLifecyclePolicyRequest.class, this::put),
                repository("GetLifecyclePolicy", LifecyclePolicyRequest.class, this::get),
                repository("DeleteLifecyclePolicy", LifecyclePolicyRequest.class, this::delete));
    }

    record PutLifecyclePolicyRequest(String registryId, String repositoryName, String lifecyclePolicyText)
            implements EcrRequest.Repo {
    }

    record LifecyclePolicyRequest(String registryId, String repositoryName) implements EcrRequest.Repo {
    }

    record LifecyclePolicyResponse(String registryId, String repositoryName, String lifecyclePolicyText,
                                   Instant lastEvaluatedAt) {
    }

    private LifecyclePolicyResponse put(EcrCall call, PutLifecyclePolicyRequest req) {
        String text = Check.length("lifecyclePolicyText", Check.required("lifecyclePolicyText", req.lifecyclePolicyText()),
                LifecyclePolicy.MIN_LENGTH, maxChars);
        try {
            LifecyclePolicy.parse(text);
        } catch (LifecyclePolicyException e) {
            throw EcrProblem.invalid("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: '"
                    + e.getMessage() + "'");
        }
        repositories.putDocument(call.repo(), DocumentKind.LIFECYCLE_POLICY, text);
        return response(call, text);
    }

    private LifecyclePolicyResponse get(EcrCall call, LifecyclePolicyRequest req) {
        return response(call, repositories.document(call.repo(), DocumentKind.LIFECYCLE_POLICY).text());
    }

    private LifecyclePolicyResponse delete(EcrCall call, LifecyclePolicyRequest req) {
        StoredDocument doc = repositories.deleteDocument(call.repo(), DocumentKind.LIFECYCLE_POLICY);
        return response(call, doc.text());
    }

    private static LifecyclePolicyResponse response(EcrCall call, String text) {
        return new LifecyclePolicyResponse(call.account(), call.repo().name().value(), text, null);
    }
}
