package io.wharf.server.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.event.RegistryEvent;
import io.wharf.core.event.RegistryEvent.ImageDeleted;
import io.wharf.core.event.RegistryEvent.ImageExpired;
import io.wharf.core.event.RegistryEvent.ImagePulled;
import io.wharf.core.event.RegistryEvent.QuotaWarning;
import io.wharf.core.event.RegistryEvent.ImageScanned;
import io.wharf.core.event.RegistryEvent.ImageReplicated;
import io.wharf.core.event.RegistryEvent.ImageCached;
import io.wharf.core.event.RegistryEvent.ImagePushed;
import io.wharf.core.event.RegistryEvent.RepositoryCreated;
import io.wharf.core.event.RegistryEvent.RepositoryVisibilityChanged;
import io.wharf.core.event.RegistryEvent.RepositoryDeleted;
import io.wharf.core.event.RegistryEvent.TagDeleted;
import io.wharf.core.event.RegistryEvent.TagMoved;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Domain events in the shape Amazon EventBridge gives ECR's events: what a webhook sends as it is. Pushes
 * and deletions are ECR's {@code ECR Image Action} (one per tag involved, as ECR reports them); facts ECR
 * has no event for (repositories created or deleted, pulls) keep the envelope with Wharf's own
 * {@code source} and {@code detail-type}. A tag move is part of its push's event and has none of its own.
 * The {@code id} is derived from the outbox sequence, so a redelivered event keeps its id.
 */
public final class EventBridgeShape {
    static final String ECR_SOURCE = "aws.ecr";
    static final String WHARF_SOURCE = "wharf.registry";
    static final String IMAGE_ACTION = "ECR Image Action";
    /** A repository made public or private: ECR has no event for it, so it is Wharf's own. */
    public static final String VISIBILITY_CHANGE = "Wharf Repository Visibility Change";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String region;

    public EventBridgeShape(String region) {
        this.region = region;
    }

    /** Zero or more envelopes for one stored event. */
    public List<ObjectNode> envelopes(StoredEvent stored) {
        List<ObjectNode> out = new ArrayList<>();
        switch (stored.event()) {
            case ImagePushed e -> out.add(imageAction(stored, 0, "PUSH", e.digest(), e.tag()));
            case ImageDeleted e -> perTag(stored, e.digest(), e.tags(), out);
            case ImageExpired e -> perTag(stored, e.digest(), e.tags(), out);
            case TagDeleted e -> out.add(imageAction(stored, 0, "DELETE", e.digest(), e.tag()));
            case TagMoved e -> { } // reported by the push that moved it
            case ImagePulled e -> {
                ObjectNode root = wharf(stored, "Wharf Image Action", "PULL");
                detail(root).put("image-digest", e.digest().toString()).put("count", e.count());
                out.add(root);
            }
            case ImageScanned e -> out.add(imageScan(stored, e));
            case ImageReplicated e -> out.add(replication(stored, e));
            case ImageCached e -> out.add(pullThroughAction(stored, e));
            case RepositoryCreated e -> out.add(wharf(stored, "Wharf Repository Action", "CREATE"));
            case QuotaWarning e -> {
                ObjectNode root = wharf(stored, "Wharf Quota Warning", "WARN");
                detail(root).put("quota", e.quota()).put("used", e.used()).put("limit", e.limit());
                out.add(root);
            }
            case RepositoryDeleted e -> out.add(wharf(stored, "Wharf Repository Action", "DELETE"));
            case RepositoryVisibilityChanged e -> {
                ObjectNode root = wharf(stored, VISIBILITY_CHANGE, "SET_VISIBILITY");
                detail(root).put("visibility", e.isPublic() ? "PUBLIC" : "PRIVATE");
                out.add(root);
            }
        }
        return out;
    }

    private void perTag(StoredEvent stored, Digest digest, List<Tag> tags, List<ObjectNode> out) {
        if (tags.isEmpty()) {
            out.add(imageAction(stored, 0, "DELETE", digest, null));
        }
        for (int i = 0; i < tags.size(); i++) {
            out.add(imageAction(stored, i, "DELETE", digest, tags.get(i)));
        }
    }

    private ObjectNode imageAction(StoredEvent stored, int part, String action, Digest digest, Tag tag) {
        ObjectNode root = envelope(stored, part, ECR_SOURCE, IMAGE_ACTION);
        ObjectNode detail = detail(root).put("image-digest", digest.toString()).put("action-type", action);
        if (tag != null) {
            detail.put("image-tag", tag.value());
        }
        return root;
    }

    /** ECR's "ECR Image Scan": status, digest, tags and the counts of the severities that occur. */
    private ObjectNode imageScan(StoredEvent stored, ImageScanned e) {
        ObjectNode root = envelope(stored, 0, ECR_SOURCE, "ECR Image Scan");
        root.withArray("resources").add("arn:aws:ecr:" + region + ":" + e.account() + ":repository/" + e.repository().value());
        ObjectNode detail = detail(root);
        detail.remove("result");
        detail.put("scan-status", e.status()).put("image-digest", e.digest().toString());
        e.tags().forEach(t -> detail.withArray("image-tags").add(t.value()));
        ObjectNode counts = detail.putObject("finding-severity-counts");
        e.severityCounts().forEach(counts::put);
        return root;
    }

    /**
     * ECR's "ECR Replication Action", written where the image came from (ECR writes it at the destination): the
     * destination repository as the resource, the source account and region, and Wharf's destination and failure.
     */
    private ObjectNode replication(StoredEvent stored, ImageReplicated e) {
        ObjectNode root = envelope(stored, 0, ECR_SOURCE, "ECR Replication Action");
        root.withArray("resources").add("arn:aws:ecr:" + e.destinationRegion() + ":" + e.destinationRegistry()
                + ":repository/" + e.repository().value());
        ObjectNode detail = detail(root).put("result", e.result()).put("image-digest", e.digest().toString())
                .put("action-type", "REPLICATE").put("source-account", e.account()).put("source-region", region)
                .put("destination-region", e.destinationRegion()).put("destination-registry", e.destinationRegistry());
        if (!e.tags().isEmpty()) {
            detail.put("image-tag", e.tags().getFirst().value());
        }
        if (e.failure() != null) {
            detail.put("failure-reason", e.failure());
        }
        return root;
    }

    /**
     * ECR's "ECR Pull Through Cache Action": {@code sync-status} SUCCESS or FAILED, the upstream, the tag and digest
     * when known; Wharf adds {@code upstream-repository-name} and, on failure, {@code failure-reason}.
     */
    private ObjectNode pullThroughAction(StoredEvent stored, ImageCached e) {
        ObjectNode root = envelope(stored, 0, ECR_SOURCE, "ECR Pull Through Cache Action");
        ObjectNode detail = detail(root);
        detail.remove("result");
        detail.put("sync-status", e.result()).put("upstream-registry-url", e.upstreamRegistryUrl())
                .put("upstream-repository-name", e.upstreamRepository());
        if (e.digest() != null) {
            detail.put("image-digest", e.digest().toString());
        }
        if (e.tag() != null) {
            detail.put("image-tag", e.tag().value());
        }
        if (e.failure() != null) {
            detail.put("failure-reason", e.failure());
        }
        return root;
    }

    private ObjectNode wharf(StoredEvent stored, String detailType, String action) {
        ObjectNode root = envelope(stored, 0, WHARF_SOURCE, detailType);
        detail(root).put("action-type", action);
        return root;
    }

    private static ObjectNode detail(ObjectNode root) {
        return (ObjectNode) root.get("detail");
    }

    /** The envelope, its {@code detail} already holding the result and the repository. */
    private ObjectNode envelope(StoredEvent stored, int part, String source, String detailType) {
        RegistryEvent e = stored.event();
        ObjectNode root = JSON.createObjectNode()
                .put("version", "0")
                .put("id", id(e.account(), stored.sequence(), part))
                .put("detail-type", detailType)
                .put("source", source)
                .put("account", e.account())
                .put("time", stored.at().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("region", region);
        root.putArray("resources");
        root.putObject("detail").put("result", "SUCCESS").put("repository-name", e.repository().value());
        return root;
    }

    private static String id(String account, long sequence, int part) {
        return UUID.nameUUIDFromBytes((account + "/" + sequence + "/" + part).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
