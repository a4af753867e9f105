package io.wharf.core.replication;

import io.wharf.core.remote.RemoteCredentials;
import java.net.URI;
import java.util.Optional;

/** The other deployments (regions) this one replicates to, from Wharf's configuration. */
@FunctionalInterface
public interface RemoteTargets {

    RemoteTargets NONE = region -> Optional.empty();

    /** A region's Wharf deployment: its endpoint and the credentials Wharf pushes there with. */
    record RemoteTarget(URI endpoint, RemoteCredentials credentials) {
    }

    Optional<RemoteTarget> target(String region);
}
