package io.wharf.server.api;

/** The errors of Wharf's own API ({@code /wharf/v1/}), each with its HTTP status; the body is {@code {"code","message"}}. */
enum ApiError {
    /** A query parameter or a name in the path is malformed or out of range. */
    INVALID_PARAMETER(400),
    UNAUTHORIZED(401),
    DENIED(403),
    NOT_FOUND(404),
    METHOD_NOT_ALLOWED(405),
    INTERNAL_ERROR(500),
    /** The metadata storage failed (full, I/O error): the request may succeed later. */
    UNAVAILABLE(503);

    final int status;

    ApiError(int status) {
        this.status = status;
    }
}
