package io.wharf.server.api;

/** A request of Wharf's own API that fails with an {@link ApiError}. */
final class ApiProblem extends RuntimeException {
    final ApiError error;

    ApiProblem(ApiError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }
}
