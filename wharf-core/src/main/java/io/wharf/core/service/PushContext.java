package io.wharf.core.service;

/**
 * What the protocol adapter knows about a push that the services need and the method signatures do not carry.
 * Bound by the OCI adapter for the length of one request.
 */
public final class PushContext {

    /**
     * Bound to the source ({@code "<region>/<account>"}) when the request is another registry replicating an image
     * here (the adapter checked the caller may {@code ecr:ReplicateImage}). Repositories it names are then created
     * for {@link io.wharf.core.template.AppliedFor#REPLICATION}, and its pushes are not replicated onward.
     */
    public static final ScopedValue<String> REPLICATED_FROM = ScopedValue.newInstance();

    private PushContext() {
    }
}
