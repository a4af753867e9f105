package io.wharf.server.ecr;

import static io.wharf.server.ecr.EcrOperation.repository;

import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.lifecycle.LifecyclePolicyException;
import io.wharf.core.service.LifecycleService;
import io.wharf.core.service.RepositoryService;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.StoredDocument;
import java.time.Instant;
import java.util.List;

/**
 * Put/Get/DeleteLifecyclePolicy: the policy is validated with the full grammar and stored verbatim.
 * {@code lastEvaluatedAt} is omitted until a lifecycle run has evaluated the current policy.
 */
final class LifecycleOperations {
    private final RepositoryService repositories;
    private final LifecycleService lifecycle;
    private final int maxChars;

    LifecycleOperations(RepositoryService repositories, LifecycleService lifecycle, int maxChars) {
        this.repositories = repositories;
        this.lifecycle = lifecycle;
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
        String text = parse(Check.required("lifecyclePolicyText", req.lifecyclePolicyText()), maxChars).json();
        repositories.putDocument(call.repo(), DocumentKind.LIFECYCLE_POLICY, text);
        return response(call, text, null);
    }

    /** The policy text checked as PutLifecyclePolicy and StartLifecyclePolicyPreview check it. */
    static LifecyclePolicy parse(String text, int maxChars) {
        Check.length("lifecyclePolicyText", text, LifecyclePolicy.MIN_LENGTH, maxChars);
        try {
            return LifecyclePolicy.parse(text);
        } catch (LifecyclePolicyException e) {
            throw EcrProblem.invalid("Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: '"
                    + e.getMessage() + "'");
        }
    }

    private LifecyclePolicyResponse get(EcrCall call, LifecyclePolicyRequest req) {
        String text = repositories.document(call.repo(), DocumentKind.LIFECYCLE_POLICY).text();
        return response(call, text, lifecycle.lastEvaluatedAt(call.repo()).orElse(null));
    }

    private LifecyclePolicyResponse delete(EcrCall call, LifecyclePolicyRequest req) {
        Instant evaluated = lifecycle.lastEvaluatedAt(call.repo()).orElse(null);
        StoredDocument doc = repositories.deleteDocument(call.repo(), DocumentKind.LIFECYCLE_POLICY);
        return response(call, doc.text(), evaluated);
    }

    private static LifecyclePolicyResponse response(EcrCall call, String text, Instant lastEvaluatedAt) {
        return new LifecyclePolicyResponse(call.account(), call.repo().name().value(), text, lastEvaluatedAt);
    }
}
