package io.wharf.server.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/** What GetAuthorizationToken hands out: an opaque password for {@code /v2/} and its expiry. */
public record RegistryToken(String password, Instant expiresAt) {
    public RegistryToken {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** base64("AWS:" + password), the form ECR returns and {@code docker login} takes apart again. */
    public String authorizationToken() {
        return Base64.getEncoder().encodeToString(("AWS:" + password).getBytes(StandardCharsets.UTF_8));
    }
}
