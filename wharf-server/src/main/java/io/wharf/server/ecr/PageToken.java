package io.wharf.server.ecr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Opaque {@code nextToken}s: a versioned keyset cursor bound to the listing it continues, base64url-encoded
 * so clients treat it as opaque. The scope (operation, registry, repository, filter) is kept as a short
 * hash: a token replayed on another listing, or one that does not decode, is InvalidParameterException.
 */
final class PageToken {
    private static final String PREFIX = "w2:";
    private static final int SCOPE_CHARS = 16;

    private PageToken() {
    }

    /** What a listing's tokens are bound to: e.g. {@code scope("ListImages", account, repo, tagStatus)}. */
    static String scope(String operation, Object... parts) {
        StringBuilder b = new StringBuilder(operation);
        for (Object part : parts) {
            b.append('\n').append(part);
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, SCOPE_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String encode(String scope, String cursor) {
        String text = PREFIX + scope + ":" + cursor;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor, or null for a null token. */
    static String decode(String scope, String token) {
        if (token == null) {
            return null;
        }
        String expected = PREFIX + scope + ":";
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.startsWith(expected)) {
                return text.substring(expected.length());
            }
        } catch (IllegalArgumentException e) {
            // falls through to the one error below
        }
        throw EcrProblem.constraint("nextToken", "Invalid pagination token");
    }
}
