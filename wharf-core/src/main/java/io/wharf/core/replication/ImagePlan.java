package io.wharf.core.replication;

import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.ImageRecord;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.StoredManifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What replicating one image copies, in the order a registry accepts it: an index's children before the index,
 * the image before its referrers (signatures, SBOMs, and their own referrers), and the blobs each one names.
 *
 * @param manifests every manifest to push, in push order
 * @param blobs     every blob they name, digest → size
 * @param tags      the tags the image has now
 */
record ImagePlan(List<Manifest> manifests, Map<Digest, Long> blobs, List<Tag> tags) {
    /** Referrers of referrers are followed this deep (a signature of an SBOM of the image is carried). */
    private static final int MAX_REFERRER_DEPTH = 3;

    /** The plan of the image as the source stores it now, or empty when it is gone. */
    static Optional<ImagePlan> of(MetadataStore meta, long repositoryId, Digest digest) {
        Optional<ImageRecord> image = meta.findImage(repositoryId, digest);
        if (image.isEmpty()) {
            return Optional.empty();
        }
        Map<Digest, Manifest> ordered = new LinkedHashMap<>();
        add(meta, repositoryId, image.get().manifest(), ordered);
        addReferrers(meta, repositoryId, digest, ordered, MAX_REFERRER_DEPTH);
        Map<Digest, Long> blobs = new LinkedHashMap<>();
        for (Manifest m : ordered.values()) {
            m.blobs().forEach(b -> blobs.put(b.digest(), b.size()));
        }
        return Optional.of(new ImagePlan(List.copyOf(ordered.values()), blobs, image.get().tags()));
    }

    private static void add(MetadataStore meta, long repositoryId, StoredManifest stored, Map<Digest, Manifest> out) {
        if (out.containsKey(stored.digest())) {
            return;
        }
        Manifest m = ManifestParser.parseStored(stored.mediaType(), stored.content());
        for (Descriptor child : m.manifests()) {
            meta.findManifest(repositoryId, child.digest()).ifPresent(c -> add(meta, repositoryId, c, out));
        }
        out.put(stored.digest(), m);
    }

    private static void addReferrers(MetadataStore meta, long repositoryId, Digest subject, Map<Digest, Manifest> out, int depth) {
        if (depth == 0) {
            return;
        }
        Set<Digest> subjects = new LinkedHashSet<>(List.of(subject));
        List<Digest> added = new ArrayList<>();
        for (Digest s : subjects) {
            for (StoredManifest r : meta.referrers(repositoryId, s)) {
                if (!out.containsKey(r.digest())) {
                    add(meta, repositoryId, r, out);
                    added.add(r.digest());
                }
            }
        }
        added.forEach(d -> addReferrers(meta, repositoryId, d, out, depth - 1));
    }

    /** The same content with only {@code kept} of the tags. */
    ImagePlan withTags(List<Tag> kept) {
        return new ImagePlan(manifests, blobs, kept);
    }

    /** The image itself: the manifest the task names (its children and referrers come before and after it). */
    Manifest image(Digest digest) {
        return manifests.stream().filter(m -> m.digest().equals(digest)).findFirst().orElseThrow();
    }
}
