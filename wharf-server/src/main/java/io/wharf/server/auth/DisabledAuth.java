package io.wharf.server.auth;

import io.wharf.core.iam.Principal;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * {@code auth.enabled: false}: every request is the root of the configured account and every
 * action is allowed. Tokens are random strings; nothing ever checks them.
 */
public final class DisabledAuth implements Auth {
    private final Principal root;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public DisabledAuth(String account, Clock clock) {
        this.root = Principal.root(account);
        this.clock = clock;
    }

    @Override
    public AwsSignature beginAws(String method, String rawPath, String rawQuery, Map<String, List<String>> headers) {
        return body -> root;
    }

    @Override
    public AwsSignature beginAws(String service, String method, String rawPath, String rawQuery,
                                 Map<String, List<String>> headers) {
        return body -> root;
    }

    @Override
    public Principal authenticateKey(String accessKeyId, String secretAccessKey) {
        return root;
    }

    @Override
    public Principal authenticateRegistry(String authorizationHeader) {
        return root;
    }

    @Override
    public void authorize(Principal principal, String action, String resourceArn, String sourceIp) {
    }

    @Override
    public RegistryToken issueRegistryToken(Principal principal) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return new RegistryToken(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                clock.instant().plus(RegistryTokens.VALIDITY));
    }
}
