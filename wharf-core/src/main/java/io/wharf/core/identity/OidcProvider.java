package io.wharf.core.identity;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An OpenID Connect identity provider an account trusts for AssumeRoleWithWebIdentity: its issuer (the tokens'
 * {@code iss}, an https URL), the audiences (client ids) its tokens may carry, and where its signing keys (JWKS) are
 * fetched from. Named as in IAM: {@code arn:aws:iam::<account>:oidc-provider/<issuer without https://>}.
 */
public record OidcProvider(String account, String issuer, List<String> clientIds, String jwksUrl, Instant createdAt) {
    /** IAM's limit of client ids per provider. */
    public static final int MAX_CLIENT_IDS = 100;

    public OidcProvider {
        IdentityNames.requireAccount(account);
        requireUrl(issuer, "issuer");
        requireUrl(jwksUrl, "JWKS URL");
        clientIds = List.copyOf(clientIds);
        if (clientIds.isEmpty() || clientIds.size() > MAX_CLIENT_IDS
                || clientIds.stream().anyMatch(c -> c.isBlank() || c.length() > 255 || c.contains("\n"))) {
            throw new IdentityException(IdentityException.Kind.INVALID_INPUT,
                    "an OIDC provider needs 1-" + MAX_CLIENT_IDS + " client ids (audiences) of 1-255 characters");
        }
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** The issuer as IAM keys its condition keys and ARN: without {@code https://} and a trailing slash. */
    public String key() {
        return key(issuer);
    }

    public static String key(String issuer) {
        String s = issuer.startsWith("https://") ? issuer.substring(8) : issuer.startsWith("http://") ? issuer.substring(7) : issuer;
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    public String arn() {
        return "arn:aws:iam::" + account + ":oidc-provider/" + key();
    }

    /**
     * An absolute http(s) URL without query or fragment. IAM requires https; plain http is accepted for providers on
     * the loopback interface only (tests and a provider beside Wharf).
     */
    private static void requireUrl(String url, String what) {
        URI uri;
        try {
            uri = url == null || url.length() > 255 ? null : new URI(url);
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        boolean loopback = uri != null && "http".equals(uri.getScheme())
                && ("127.0.0.1".equals(uri.getHost()) || "localhost".equals(uri.getHost()) || "[::1]".equals(uri.getHost()));
        if (uri == null || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !("https".equals(uri.getScheme()) || loopback)) {
            throw new IdentityException(IdentityException.Kind.INVALID_INPUT, "invalid " + what + " '" + url
                    + "': must be an https URL (http only on the loopback interface) without query or fragment");
        }
    }
}
