package io.wharf.core.replication;

import io.wharf.core.error.ImageTagImmutableException;
import io.wharf.core.error.RegistryException;
import io.wharf.core.error.StorageFullException;
import io.wharf.core.error.StorageUnavailableException;
import io.wharf.core.iam.AuthzRequest;
import io.wharf.core.iam.Decision;
import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicyEvaluator;
import io.wharf.core.iam.Principal;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.Reference;
import io.wharf.core.model.Tag;
import io.wharf.core.service.PushContext;
import io.wharf.core.service.RepoKey;
import io.wharf.core.service.Registry;
import io.wharf.core.spi.DocumentKind;
import io.wharf.core.spi.ReplicationIndex.Task;
import io.wharf.core.spi.Repository;
import io.wharf.core.template.AppliedFor;
import java.time.Clock;
import java.util.List;

/**
 * Replication to another account of this deployment: blobs are content-addressed, so the copy links them into the
 * destination repository and stores the manifests, in one transaction. Allowed only when the destination account's
 * registry policy allows the source account {@code ecr:ReplicateImage} (and {@code ecr:CreateRepository} when the
 * repository must be created), as ECR requires.
 */
final class LocalCopy {
    private final Registry registry;
    private final String region;
    private final Clock clock;

    LocalCopy(Registry registry, String region, Clock clock) {
        this.registry = registry;
        this.region = region;
        this.clock = clock;
    }

    void copy(Task task, long sourceRepositoryId, ImagePlan plan) throws ReplicationFailure {
        RepoKey dest = new RepoKey(task.target().registryId(), task.repository());
        boolean exists = registry.metadata().findRepository(dest.account(), dest.name()).isPresent();
        authorize(task, "ecr:ReplicateImage");
        if (!exists) {
            authorize(task, "ecr:CreateRepository");
        }
        try {
            ScopedValue.where(PushContext.REPLICATED_FROM, region + "/" + task.account()).call(() -> {
                registry.metadata().inTransaction("replicate an image", unit -> {
                    Repository repo = registry.repositories().createImplicitly(unit, dest, AppliedFor.REPLICATION);
                    for (Digest blob : plan.blobs().keySet()) {
                        unit.linkBlob(sourceRepositoryId, repo.id(), blob, clock.instant());
                    }
                    storeManifests(dest, plan, task.digest());
                    return null;
                });
                return null;
            });
        } catch (StorageFullException | StorageUnavailableException e) {
            throw new ReplicationFailure("the storage failed: " + e.getMessage(), true);
        } catch (RegistryException e) {
            throw new ReplicationFailure(e.getClass().getSimpleName().replace("Exception", "") + ": " + e.getMessage(), false);
        }
    }

    /** Every manifest by digest, then the image's tags; a tag the destination holds immutable elsewhere is dropped (as ECR). */
    private void storeManifests(RepoKey dest, ImagePlan plan, Digest image) {
        for (Manifest m : plan.manifests()) {
            registry.manifests().put(dest, new Reference.ByDigest(m.digest()), m.mediaType(), m.content());
        }
        Manifest top = plan.image(image);
        for (Tag tag : plan.tags()) {
            try {
                registry.manifests().put(dest, new Reference.ByTag(tag), top.mediaType(), top.content());
            } catch (ImageTagImmutableException e) {
                // the replica stays reachable by digest
            }
        }
    }

    private void authorize(Task task, String action) throws ReplicationFailure {
        String account = task.target().registryId();
        String arn = "arn:aws:ecr:" + region + ":" + account + ":repository/" + task.repository().value();
        PolicyDocument policy = registry.metadata().accountDocument(account, DocumentKind.REGISTRY_POLICY)
                .map(d -> PolicyDocument.parse(d.text())).orElse(null);
        Decision d = PolicyEvaluator.evaluate(new AuthzRequest(Principal.root(task.account()), action, arn),
                List.of(), null, policy);
        if (d != Decision.ALLOW) {
            throw new ReplicationFailure("the registry policy of " + account + " does not allow " + task.account()
                    + " " + action + " on " + arn, false);
        }
    }

}
