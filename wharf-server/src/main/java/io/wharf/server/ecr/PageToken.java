package io.wharf.server.ecr;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque {@code nextToken}s: a versioned keyset cursor, base64url-encoded so clients treat it as
 * opaque. A token that does not decode is InvalidParameterException.
 */
final class PageToken {
    private static final String PREFIX = "w1:";

    private PageToken() {
    }

    static String encode(String cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + cursor).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or null for a null token. */
    static String decode(String token) {
        if (token == null) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(PREFIX)) {
                return text.substring(PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // falls through to the one error below
        }
        throw EcrProblem.constraint("nextToken", "Invalid pagination token");
    }
}
