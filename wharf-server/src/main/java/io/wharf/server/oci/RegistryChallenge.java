package io.wharf.server.oci;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.service.GalleryService;
import io.wharf.server.auth.Auth;
import io.wharf.server.http.Exchange;
import java.io.IOException;
import org.eclipse.jetty.http.HttpURI;

/**
 * How {@code /v2/} asks for credentials, and the token endpoint that lets docker pull public repositories anonymously.
 *
 * <p>ECR challenges for Basic, and so does Wharf. But docker, given a Basic challenge on its {@code GET /v2/} and no
 * credentials, refuses to send a request at all ("no basic auth credentials"). So while the account has a public
 * repository, an unauthenticated {@code GET /v2/} is challenged for Bearer, as ECR Public does, with {@value #PATH}
 * as the realm: it hands out the Basic credentials it was given ({@code base64("AWS:<password>")}, checked first) as
 * the token, or {@code base64(":")} (no credentials) to a caller without any. A Bearer token is then read as the
 * Basic credentials it holds. Every other 401 keeps ECR's Basic challenge.
 */
final class RegistryChallenge {
    static final String PATH = "/v2/token";
    /** {@code base64(":")}: an empty user name and password, what skopeo and podman send without credentials. */
    static final String NO_CREDENTIALS = "Og==";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Auth auth;
    private final GalleryService gallery;
    private final String account;

    RegistryChallenge(Auth auth, GalleryService gallery, String account) {
        this.auth = auth;
        this.gallery = gallery;
        this.account = account;
    }

    /** The header as Basic credentials: a Bearer token from {@value #PATH} holds them. */
    static String asBasic(String authorization) {
        if (authorization != null && authorization.strip().regionMatches(true, 0, "Bearer ", 0, 7)) {
            return "Basic " + authorization.strip().substring(7).strip();
        }
        return authorization;
    }

    /** No header, or Basic (or our Bearer) with an empty user name and password. */
    static boolean carriesNoCredentials(String authorization) {
        String basic = asBasic(authorization);
        return basic == null || basic.isBlank() || NO_CREDENTIALS.equals(credentials(authorization));
    }

    /** The base64 credentials of Basic (or of our Bearer); null for a header of any other scheme. */
    static String credentials(String authorization) {
        String basic = asBasic(authorization);
        String value = basic == null ? "" : basic.strip();
        return value.regionMatches(true, 0, "Basic ", 0, 6) ? value.substring(6).strip() : null;
    }

    /** The {@code WWW-Authenticate} value of a 401 for {@code path}. */
    String challenge(HttpURI uri, OciPath path, String authorization) {
        String base = uri.getScheme() + "://" + uri.getAuthority();
        if (path.kind() == OciPath.Kind.BASE && carriesNoCredentials(authorization) && gallery.hasPublic(account)) {
            return "Bearer realm=\"" + base + PATH + "\",service=\"" + uri.getAuthority() + "\"";
        }
        return basic(uri);
    }

    /** ECR's challenge. */
    static String basic(HttpURI uri) {
        return "Basic realm=\"" + uri.getScheme() + "://" + uri.getAuthority() + "/\",service=\"ecr.amazonaws.com\"";
    }

    /** {@code GET /v2/token}: {@code {"token": …, "access_token": …}}; credentials that are not ours are refused. */
    void token(Exchange ex) throws IOException {
        String token = tokenFor(ex.header("Authorization"));
        ex.send(200, "application/json", JSON.writeValueAsBytes(JSON.createObjectNode().put("token", token)
                .put("access_token", token)));
    }

    /**
     * The token {@value #PATH} hands out for the {@code Authorization} header: the Basic credentials it carries, once
     * they authenticate (AuthException otherwise). Without auth any header passes, and one that is not Basic carries
     * no credentials to hand back: {@value #NO_CREDENTIALS}.
     */
    String tokenFor(String authorization) {
        if (carriesNoCredentials(authorization)) {
            return NO_CREDENTIALS;
        }
        auth.authenticateRegistry(authorization); // throws AuthException for anything not ours
        String credentials = credentials(authorization);
        return credentials != null ? credentials : NO_CREDENTIALS;
    }

    static boolean isTokenPath(String rawPath) {
        return PATH.equals(rawPath);
    }
}
