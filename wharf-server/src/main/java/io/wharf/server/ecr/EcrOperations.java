package io.wharf.server.ecr;

import io.wharf.core.pullthrough.PullThroughService;
import io.wharf.core.service.Registry;
import io.wharf.server.auth.Auth;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Clock;
import io.wharf.scan.service.ScanService;
import io.wharf.scan.service.ScanSettings;

/** The operation table: every ECR operation Wharf serves, by the name {@code X-Amz-Target} carries. */
public final class EcrOperations {
    private final Map<String, EcrOperation<?>> table = new LinkedHashMap<>();

    /** With scanning at its default settings (tests of other operations). */
    public EcrOperations(Registry registry, Auth auth, String region) {
        this(registry, auth, region, new ScanService(registry, ScanSettings.DEFAULTS, Clock.systemUTC()));
    }

    public EcrOperations(Registry registry, Auth auth, String region, ScanService scans) {
        this(registry, auth, region, scans, new io.wharf.core.replication.ReplicationService(registry,
                io.wharf.core.replication.ReplicationSettings.defaults(region), Clock.systemUTC()), null);
    }

    /** @param pullThrough the pull-through cache's rules; null: its operations are not served */
    public EcrOperations(Registry registry, Auth auth, String region, ScanService scans,
                         io.wharf.core.replication.ReplicationService replication, PullThroughService pullThrough) {
        this(registry, auth, region, scans, replication, pullThrough, null);
    }

    /** @param signing managed signing; null: its operations are not served */
    public EcrOperations(Registry registry, Auth auth, String region, ScanService scans,
                         io.wharf.core.replication.ReplicationService replication, PullThroughService pullThrough,
                         io.wharf.core.signature.SigningService signing) {
        add(new RepositoryOperations(registry.repositories(), region, registry::encryptionApplies).operations());
        add(new ImageOperations(registry.images(), registry.manifests(), scans,
                io.wharf.server.signing.Signatures.service(registry)).operations());
        add(new LayerOperations(registry.layers(), registry.quotas()).operations());
        add(new PolicyOperations(registry.repositories(), registry.quotas().maxPolicyChars()).operations());
        add(new LifecycleOperations(registry.repositories(), registry.lifecycle(),
                registry.quotas().maxLifecyclePolicyChars()).operations());
        add(new LifecyclePreviewOperations(registry.lifecycle(), registry.quotas().maxLifecyclePolicyChars()).operations());
        add(new TaggingOperations(registry.repositories()).operations());
        add(new RegistryOperations(scans, auth).operations());
        add(new ScanOperations(scans, registry.images()).operations());
        add(new TemplateOperations(registry.templates(), registry::encryptionApplies).operations());
        add(new AccountSettingOperations(registry.templates()).operations());
        add(new ReplicationOperations(replication, registry.images()).operations());
        if (pullThrough != null) {
            add(new PullThroughOperations(pullThrough).operations());
        }
        if (signing != null) {
            add(new SigningOperations(signing, registry.images()).operations());
        }
    }

    private void add(List<EcrOperation<?>> operations) {
        operations.forEach(op -> {
            if (table.put(op.name(), op) != null) {
                throw new IllegalStateException("operation " + op.name() + " declared twice");
            }
        });
    }

    Map<String, EcrOperation<?>> table() {
        return Map.copyOf(table);
    }
}
