package io.wharf.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.wharf.core.model.Digest;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import java.util.List;

/**
 * A fact about the registry, written to the outbox in the same transaction as the change it describes
 * (see {@link io.wharf.core.spi.UnitOfWork#emit}). Protocol-free: adapters map it to their wire shapes.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(RegistryEvent.RepositoryCreated.class), @JsonSubTypes.Type(RegistryEvent.RepositoryDeleted.class),
        @JsonSubTypes.Type(RegistryEvent.ImagePushed.class), @JsonSubTypes.Type(RegistryEvent.TagMoved.class),
        @JsonSubTypes.Type(RegistryEvent.TagDeleted.class), @JsonSubTypes.Type(RegistryEvent.ImageDeleted.class),
        @JsonSubTypes.Type(RegistryEvent.ImagePulled.class), @JsonSubTypes.Type(RegistryEvent.ImageExpired.class),
        @JsonSubTypes.Type(RegistryEvent.ImageScanned.class), @JsonSubTypes.Type(RegistryEvent.ImageReplicated.class),
        @JsonSubTypes.Type(RegistryEvent.ImageCached.class), @JsonSubTypes.Type(RegistryEvent.QuotaWarning.class),
        @JsonSubTypes.Type(RegistryEvent.RepositoryVisibilityChanged.class)})
public sealed interface RegistryEvent {

    String account();

    RepositoryName repository();

    /** The event's name as stored beside its payload: the record's simple name. */
    default String type() {
        return getClass().getSimpleName();
    }

    record RepositoryCreated(String account, RepositoryName repository) implements RegistryEvent {
    }

    /**
     * The repository was made public ({@code isPublic} true: anyone may pull it and the gallery lists it) or private
     * again; also written when a repository is created public. Not written when the visibility stays as it was.
     */
    record RepositoryVisibilityChanged(String account, RepositoryName repository, boolean isPublic)
            implements RegistryEvent {
    }

    /** The repository is gone with everything in it (no separate image events). */
    record RepositoryDeleted(String account, RepositoryName repository) implements RegistryEvent {
    }

    /**
     * A manifest was stored or re-tagged by a push; {@code tag} is null for a push by digest. {@code replicatedFrom}
     * is the source ({@code "<region>/<account>"}) when replication pushed it (null otherwise): such an image is not
     * replicated onward.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    record ImagePushed(String account, RepositoryName repository, Digest digest, String mediaType, Tag tag,
                       String replicatedFrom) implements RegistryEvent {

        public ImagePushed(String account, RepositoryName repository, Digest digest, String mediaType, Tag tag) {
            this(account, repository, digest, mediaType, tag, null);
        }
    }

    /** The tag now points at {@code digest}; {@code previous} is null when the tag is new. */
    record TagMoved(String account, RepositoryName repository, Tag tag, Digest digest, Digest previous)
            implements RegistryEvent {
    }

    /** Only the tag was removed; the image it named stays. */
    record TagDeleted(String account, RepositoryName repository, Tag tag, Digest digest) implements RegistryEvent {
    }

    /** The image was removed with the tags it still had. */
    record ImageDeleted(String account, RepositoryName repository, Digest digest, List<Tag> tags)
            implements RegistryEvent {
    }

    /**
     * Pulls of the image: with {@code usage.pull-events: daily} a pull whose time was recorded (at most about once a
     * day per image, as the pull time itself; {@code count} 1); with {@code every}, the {@code count} pulls of one
     * flush interval. An event stored before {@code count} existed reads as 1.
     */
    record ImagePulled(String account, RepositoryName repository, Digest digest, long count) implements RegistryEvent {

        public ImagePulled {
            count = Math.max(count, 1);
        }

        public ImagePulled(String account, RepositoryName repository, Digest digest) {
            this(account, repository, digest, 1);
        }
    }

    /**
     * The repository crossed {@code usage.warn-ratio} of a quota upward: {@code quota} IMAGES ({@code used} images of
     * {@code limit}, ECR's images-per-repository quota) or STORAGE ({@code used} bytes of
     * {@code usage.storage-quota-bytes}). Written once per crossing: not again until it went back below.
     */
    record QuotaWarning(String account, RepositoryName repository, String quota, long used, long limit)
            implements RegistryEvent {
    }

    /** A lifecycle rule expired the image (removed with its tags). */
    record ImageExpired(String account, RepositoryName repository, Digest digest, List<Tag> tags, int rulePriority)
            implements RegistryEvent {
    }

    /**
     * A scan of the image finished (also a continuous rescan whose findings changed). {@code status} is the
     * scan's outcome in the domain's words (COMPLETE, FAILED, UNSUPPORTED_IMAGE); {@code severityCounts} has only
     * the severities that occur.
     */
    record ImageScanned(String account, RepositoryName repository, Digest digest, List<Tag> tags, String status,
                        java.util.Map<String, Integer> severityCounts) implements RegistryEvent {
    }

    /**
     * Replication of the image to one destination ended: {@code result} SUCCESS or FAILED ({@code failure} says why).
     * Written in the source registry.
     */
    record ImageReplicated(String account, RepositoryName repository, Digest digest, List<Tag> tags,
                           String destinationRegion, String destinationRegistry, String result, String failure)
            implements RegistryEvent {
    }

    /**
     * A pull-through cache fetched (or failed to fetch) an image from its upstream: {@code result} SUCCESS or FAILED
     * ({@code failure} says why); {@code tag} is null for a pull by digest.
     */
    record ImageCached(String account, RepositoryName repository, Digest digest, Tag tag, String upstreamRegistryUrl,
                       String upstreamRepository, String result, String failure) implements RegistryEvent {
    }
}
