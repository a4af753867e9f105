package io.wharf.core.replication;

import io.wharf.core.error.RegistryException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.Tag;
import io.wharf.core.remote.RemoteException;
import io.wharf.core.remote.RemoteRegistries;
import io.wharf.core.remote.RemoteRegistry;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.ReplicationIndex.Task;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.Map;
import java.util.Map.Entry;

/**
 * Replication to another region, i.e. another Wharf deployment: over the OCI API with the region's configured
 * credentials, each request marked {@value #HEADER} so the destination does not replicate the image onward. Blobs
 * the destination already has are not sent again (the client asks first).
 */
final class RemoteCopy {
    /** The header a replicating push carries: {@code <source region>/<source account>}. */
    static final String HEADER = "X-Wharf-Replicated-From";

    private final Registry registry;
    private final RemoteRegistries remotes;
    private final RemoteTargets targets;
    private final String region;

    RemoteCopy(Registry registry, RemoteRegistries remotes, RemoteTargets targets, String region) {
        this.registry = registry;
        this.remotes = remotes;
        this.targets = targets;
        this.region = region;
    }

    void copy(Task task, ImagePlan plan) throws ReplicationFailure {
        RemoteTargets.RemoteTarget target = targets.target(task.target().region()).orElseThrow(() -> new ReplicationFailure(
                "no endpoint is configured for region " + task.target().region() + " (replication.regions-file)", false));
        RemoteRegistry remote = remotes.open(target.endpoint(), target.credentials(),
                Map.of(HEADER, region + "/" + task.account()));
        String repository = task.repository().value();
        RepoKey source = new RepoKey(task.account(), task.repository());
        try {
            for (Entry<Digest, Long> blob : plan.blobs().entrySet()) {
                pushBlob(remote, source, repository, blob.getKey(), blob.getValue()); // a no-op when it is there
            }
            for (Manifest m : plan.manifests()) {
                remote.pushManifest(repository, m.digest().toString(), m.mediaType(), m.content());
            }
            Manifest top = plan.image(task.digest());
            for (Tag tag : plan.tags()) {
                remote.pushManifest(repository, tag.value(), top.mediaType(), top.content());
            }
        } catch (RemoteException e) {
            throw new ReplicationFailure(e.kind() + ": " + e.getMessage(), retryable(e.kind()));
        }
    }

    private void pushBlob(RemoteRegistry remote, RepoKey source, String repository, Digest digest, long size)
            throws RemoteException, ReplicationFailure {
        try (InputStream in = Channels.newInputStream(registry.blobs().open(source, digest))) {
            remote.pushBlob(repository, digest, size, in);
        } catch (IOException e) {
            throw new ReplicationFailure("reading blob " + digest + " failed: " + e.getMessage(), true);
        } catch (RegistryException e) {
            throw new ReplicationFailure("blob " + digest + " cannot be read here: " + e.getMessage(), false);
        }
    }

    /** Unreachable and throttled are worth another attempt; refused credentials or answers are not, until the configuration changes. */
    private static boolean retryable(RemoteException.Kind kind) {
        return kind == RemoteException.Kind.UNAVAILABLE || kind == RemoteException.Kind.TOO_MANY_REQUESTS;
    }
}
