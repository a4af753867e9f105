package io.wharf.server.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteException.Kind;

/** Turns an unexpected answer into a {@link RemoteException} whose kind says what a caller should do. */
final class RemoteFailures {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** AWS answers refused credentials with a 400 and one of these types (ECR's GetAuthorizationToken). */
    private static final java.util.Set<String> AWS_DENIED = java.util.Set.of("InvalidSignatureException",
            "UnrecognizedClientException", "AccessDeniedException", "ExpiredTokenException", "IncompleteSignature",
            "MissingAuthenticationToken", "SignatureDoesNotMatch", "InvalidClientTokenId");

    private RemoteFailures() {
    }

    static Kind kind(int status) {
        return switch (status) {
            case 401, 403 -> Kind.ACCESS_DENIED;
            case 404 -> Kind.NOT_FOUND;
            case 429 -> Kind.TOO_MANY_REQUESTS;
            default -> status >= 500 ? Kind.UNAVAILABLE : Kind.INVALID;
        };
    }

    /** Closes {@code r}; the message names the request, the status and the registry's error code, nothing else. */
    static RemoteException of(Transport.Response r, int maxBodyBytes) {
        String code = null;
        try {
            code = code(Transport.readBounded(r, maxBodyBytes));
        } catch (RemoteException e) {
            // an unreadable or oversized error body: the status says enough
        } finally {
            r.close();
        }
        Kind kind = code != null && AWS_DENIED.contains(code.substring(code.indexOf('#') + 1)) ? Kind.ACCESS_DENIED
                : kind(r.status());
        return new RemoteException(kind, r.request().what() + " answered " + r.status()
                + (code == null ? "" : " " + code));
    }

    /** The OCI error code ({@code errors[0].code}) or the AWS {@code __type}, when the body carries one. */
    private static String code(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode code = n.path("errors").path(0).path("code");
            if (code.isMissingNode()) {
                code = n.path("__type");
            }
            String text = code.isTextual() ? code.asText() : null;
            return text == null || text.length() > 100 || !text.matches("[A-Za-z0-9_.#:-]+") ? null : text;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
