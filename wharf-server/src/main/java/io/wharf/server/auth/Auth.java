package io.wharf.server.auth;

import io.wharf.core.iam.Principal;
import java.util.List;
import java.util.Map;

/** Authenticates and authorizes requests of both wire protocols. */
public interface Auth {
    /** ECR API: verifies SigV4 over the exact request; body = the raw request body bytes. */
    Principal authenticateAws(String method, String rawPath, String rawQuery, Map<String, List<String>> headers,
            byte[] body) throws AuthException;

    /** Registry API: the Authorization header value (may be null). */
    Principal authenticateRegistry(String authorizationHeader) throws AuthException;

    /**
     * Throws AuthException(ACCESS_DENIED, "User: &lt;arn&gt; is not authorized to perform: &lt;action&gt; on
     * resource: &lt;arn&gt;") unless allowed. sourceIp for aws:SourceIp.
     */
    void authorize(Principal principal, String action, String resourceArn, String sourceIp) throws AuthException;

    /** GetAuthorizationToken: a token for this principal, valid 12 hours. */
    RegistryToken issueRegistryToken(Principal principal);
}
