package io.wharf.server.replication;

import io.wharf.core.remote.RemoteRegistries;
import io.wharf.core.replication.ReplicationRunner;
import io.wharf.core.replication.ReplicationService;
import io.wharf.core.service.Registry;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.remote.HttpRemoteRegistries;
import java.time.Clock;

/** Builds replication's pieces from the configuration: the service (API, subscriber) and the job's runner. */
public final class ReplicationWiring {
    private ReplicationWiring() {
    }

    public static ReplicationService service(WharfConfig config, Registry registry) {
        return new ReplicationService(registry, config.replication().settings(config.region()), Clock.systemUTC());
    }

    public static ReplicationRunner runner(WharfConfig config, Registry registry, String nodeId) {
        return new ReplicationRunner(registry, service(config, registry), remotes(config),
                new ConfiguredRegions(config.replication().regions()), nodeId, Clock.systemUTC());
    }

    /** The client of other registries, bounded by {@code remote.*}. */
    static RemoteRegistries remotes(WharfConfig config) {
        return new HttpRemoteRegistries(config.remote());
    }
}
