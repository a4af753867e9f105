package io.wharf.server.api;

/**
 * What an endpoint answers: a status (0: the method's usual one, 202 for POST, else 200), a media type and a body
 * (null: none).
 */
record ApiReply(int status, String contentType, byte[] body) {
    static ApiReply json(String body) {
        return json(0, body);
    }

    static ApiReply json(int status, String body) {
        return of(status, "application/json", body);
    }

    static ApiReply of(int status, String contentType, String body) {
        return new ApiReply(status, contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static ApiReply empty(int status) {
        return new ApiReply(status, null, null);
    }
}
