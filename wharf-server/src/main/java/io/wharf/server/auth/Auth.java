package io.wharf.server.auth;

import io.wharf.core.iam.Principal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Authenticates and authorizes requests of both wire protocols. */
public interface Auth {
    /**
     * ECR API, first step: checks what the request line and headers decide (a well-formed signature,
     * a known active key, the time), so a caller without credentials is refused before its body is read.
     */
    AwsSignature beginAws(String method, String rawPath, String rawQuery, Map<String, List<String>> headers)
            throws AuthException;

    /**
     * As {@link #beginAws(String, String, String, Map)} for the AWS service whose signing name the credential
     * scope must carry ({@code ecr}, {@code sts}).
     */
    default AwsSignature beginAws(String service, String method, String rawPath, String rawQuery,
                                  Map<String, List<String>> headers) throws AuthException {
        if (!"ecr".equals(service)) {
            throw new UnsupportedOperationException("no SigV4 verifier for service " + service);
        }
        return beginAws(method, rawPath, rawQuery, headers);
    }

    /** ECR API: verifies SigV4 over the exact request; body = the raw request body bytes. */
    default Principal authenticateAws(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
            byte[] body) throws AuthException {
        return beginAws(method, rawPath, rawQuery, headers).verifyBody(body);
    }

    /** A request whose headers passed {@link #beginAws}. */
    @FunctionalInterface
    interface AwsSignature {
        /** The caller, once the body is what was signed. */
        Principal verifyBody(byte[] body) throws AuthException;
    }

    /**
     * The console's sign-in: an access key id and its secret, checked as SigV4 checks a signature's key (known,
     * active, its owner still there). The default refuses every key (an Auth that verifies no keys).
     */
    default Principal authenticateKey(String accessKeyId, String secretAccessKey) throws AuthException {
        throw new AuthException(AuthException.Kind.UNRECOGNIZED_CLIENT, "access keys are not accepted here");
    }

    /** A registry password's principal and when the password stops being valid. */
    record PasswordCredential(Principal principal, Instant expiresAt) {
    }

    /**
     * The console's sign-in with a registry password, checked as {@code docker login -u AWS} is. The default knows
     * no expiry ({@link Instant#MAX}).
     */
    default PasswordCredential authenticatePassword(String password) throws AuthException {
        String basic = Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
        return new PasswordCredential(authenticateRegistry("Basic " + basic), Instant.MAX);
    }

    /**
     * Whether a console session of {@code principal} may go on: its owner still exists and, when it was signed in
     * with an access key ({@code accessKeyId} not null), that key still exists, is active and is the owner's. Checked
     * on every console request, as SigV4 checks a key on every API call. The default: always.
     */
    default boolean credentialStillValid(Principal principal, String accessKeyId) {
        return true;
    }

    /** Registry API: the Authorization header value (may be null). */
    Principal authenticateRegistry(String authorizationHeader) throws AuthException;

    /**
     * Throws AuthException(ACCESS_DENIED, "User: &lt;arn&gt; is not authorized to perform: &lt;action&gt; on
     * resource: &lt;arn&gt;") unless allowed. sourceIp for aws:SourceIp.
     */
    void authorize(Principal principal, String action, String resourceArn, String sourceIp) throws AuthException;

    /** STS's AssumeRole and GetSessionToken; empty where temporary credentials are not issued (auth disabled). */
    default Optional<SecurityTokenService> sts() {
        return Optional.empty();
    }

    /** GetAuthorizationToken: a token for this principal, valid 12 hours (never beyond temporary credentials). */
    RegistryToken issueRegistryToken(Principal principal);
}
