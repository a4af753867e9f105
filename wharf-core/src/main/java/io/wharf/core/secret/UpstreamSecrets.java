package io.wharf.core.secret;

import java.util.Optional;

/**
 * Reads an account's named secrets in the clear (the server opens what {@link io.wharf.core.spi.SecretIndex} keeps
 * sealed). Names are Secrets-Manager style, e.g. {@code ecr-pullthroughcache/docker-hub}.
 */
public interface UpstreamSecrets {

    /**
     * The secret, or empty when there is none by that name.
     *
     * @throws IllegalStateException when it exists but cannot be opened or is not {@code {username, accessToken}} JSON
     */
    Optional<UpstreamSecret> read(String account, String name);
}
