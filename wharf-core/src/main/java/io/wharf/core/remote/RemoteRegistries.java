package io.wharf.core.remote;

import java.net.URI;
import java.util.Map;

/**
 * Opens clients of other registries spoken to over the OCI Distribution API: the upstreams of pull-through
 * caches and the destinations of replication. The server implements it over HTTP.
 */
public interface RemoteRegistries {

    /**
     * A client of the registry at {@code endpoint} ({@code http(s)://host[:port]}, no path), authenticating with
     * {@code credentials} when the registry asks (Basic, a Bearer token service, or ECR tokens bought with AWS keys).
     */
    default RemoteRegistry open(URI endpoint, RemoteCredentials credentials) {
        return open(endpoint, credentials, Map.of());
    }

    /** As {@link #open(URI, RemoteCredentials)}, sending {@code headers} with every request (replication marks its pushes). */
    RemoteRegistry open(URI endpoint, RemoteCredentials credentials, Map<String, String> headers);
}
