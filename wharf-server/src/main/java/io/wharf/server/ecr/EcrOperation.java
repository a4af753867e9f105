package io.wharf.server.ecr;

import java.util.List;

/**
 * One row of the operation table: the name after {@code X-Amz-Target}'s prefix (also the IAM action
 * {@code ecr:<name>}), the request record, what resource the call is authorized on, and the action.
 */
record EcrOperation<Q extends EcrRequest>(String name, Class<Q> requestType, Scope scope, Action<Q> action) {

    /** What the IAM resource of a call is. */
    enum Scope {
        /** The repository the request names ({@link EcrRequest.Repo}). */
        REPOSITORY,
        /** Each repository a {@link Repos} request names, or {@code repository/*} when it names none. */
        REPOSITORIES,
        /** The repository ARN the request carries ({@link Arn}): tagging operations. */
        RESOURCE_ARN,
        /** {@code *}: registry-level operations. */
        REGISTRY
    }

    @FunctionalInterface
    interface Action<Q> {
        Object run(EcrCall call, Q request);
    }

    /** A request naming any number of repositories. */
    interface Repos extends EcrRequest {
        List<String> repositoryNames();
    }

    /** A request naming a resource by ARN. */
    interface Arn extends EcrRequest {
        String resourceArn();
    }

    static <Q extends EcrRequest> EcrOperation<Q> repository(String name, Class<Q> type, Action<Q> action) {
        return new EcrOperation<>(name, type, Scope.REPOSITORY, action);
    }

    static <Q extends EcrRequest> EcrOperation<Q> registry(String name, Class<Q> type, Action<Q> action) {
        return new EcrOperation<>(name, type, Scope.REGISTRY, action);
    }
}
