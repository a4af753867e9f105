package io.wharf.server.replication;

import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteRegistries;
import io.wharf.core.remote.RemoteRegistry;
import io.wharf.core.replication.ReplicationRunner;
import io.wharf.core.replication.ReplicationService;
import io.wharf.core.service.Registry;
import io.wharf.server.config.WharfConfig;
import java.lang.reflect.Proxy;
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

    /** The client of other registries. Until the HTTP client lands, every call reports the region unreachable. */
    static RemoteRegistries remotes(WharfConfig config) {
        return (endpoint, credentials, headers) -> (RemoteRegistry) Proxy.newProxyInstance(
                RemoteRegistry.class.getClassLoader(), new Class<?>[] {RemoteRegistry.class}, (proxy, method, args) -> {
                    throw new RemoteException(RemoteException.Kind.UNAVAILABLE, "no remote registry client in this build");
                });
    }
}
