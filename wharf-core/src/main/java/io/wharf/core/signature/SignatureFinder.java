package io.wharf.core.signature;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.MetadataStore;
import io.wharf.core.spi.StoredManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds an image's signatures in its repository: cosign's {@code sha256-<hex>.sig} tag, and referrers whose artifact
 * type is a cosign signature, a sigstore bundle or a Notation signature.
 */
public final class SignatureFinder {
    /** cosign's tags for signatures, attestations and SBOMs of a digest. */
    private static final Pattern COSIGN_TAG = Pattern.compile("sha256-[a-f0-9]{64}\\.(sig|att|sbom)");

    private final MetadataStore meta;

    public SignatureFinder(MetadataStore meta) {
        this.meta = meta;
    }

    public List<ImageSignature> find(long repositoryId, Digest image) {
        List<ImageSignature> found = new ArrayList<>();
        tagScheme(repositoryId, image).ifPresent(found::add);
        for (StoredManifest m : meta.referrers(repositoryId, image)) {
            SignatureKind kind = SignatureKind.ofReferrer(artifactType(m));
            if (kind != null && m.intact()) {
                found.add(new ImageSignature(kind, m.digest(), artifactType(m), null, layers(m)));
            }
        }
        return found;
    }

    private Optional<ImageSignature> tagScheme(long repositoryId, Digest image) {
        Tag tag = ImageSignature.cosignTag(image);
        return meta.resolveTag(repositoryId, tag)
                .flatMap(d -> meta.findManifest(repositoryId, d))
                .filter(StoredManifest::intact)
                .map(m -> new ImageSignature(SignatureKind.COSIGN_TAG, m.digest(), artifactType(m), tag, layers(m)));
    }

    /** Whether a tag is one of cosign's for a digest's signatures, attestations or SBOM. */
    public static boolean isCosignTag(Tag tag) {
        return COSIGN_TAG.matcher(tag.value()).matches();
    }

    /** As {@link #isSignatureArtifact(StoredManifest, Tag)} for a manifest not named by a tag. */
    public static boolean isSignatureArtifact(StoredManifest m) {
        return isSignatureArtifact(m, null);
    }

    /**
     * Whether a manifest is signature material that verifiers must be able to read: not runnable (not an index, no
     * filesystem layer: a runnable image dressed as a signature stays under the policy), and a referrer of some
     * subject, of a signature artifact type, made of simple-signing layers, or named by one of cosign's tags.
     */
    public static boolean isSignatureArtifact(StoredManifest m, Tag tag) {
        Optional<Manifest> parsed = parse(m);
        if (parsed.isEmpty() || parsed.get().config() == null
                || layersOf(parsed.get()).stream().anyMatch(d -> isFilesystem(d.mediaType()))) {
            return false;
        }
        List<io.wharf.core.model.Descriptor> layers = layersOf(parsed.get());
        return m.subject() != null || SignatureKind.ofReferrer(artifactType(m)) != null || tag != null && isCosignTag(tag)
                || !layers.isEmpty() && layers.stream().allMatch(d -> d.mediaType().equals(SignatureKind.SIMPLE_SIGNING_LAYER));
    }

    /** OCI and Docker image layers: what a runtime unpacks into a container's filesystem. */
    private static boolean isFilesystem(String mediaType) {
        return mediaType.startsWith("application/vnd.oci.image.layer.")
                || mediaType.startsWith("application/vnd.docker.image.rootfs.");
    }

    private static String artifactType(StoredManifest m) {
        return m.artifactType() != null ? m.artifactType() : parse(m).map(Manifest::effectiveArtifactType).orElse(null);
    }

    private static List<SignatureLayer> layers(StoredManifest m) {
        return parse(m).map(p -> layersOf(p).stream().map(SignatureLayer::of).toList()).orElse(List.of());
    }

    /** The layers: the blobs after the config (an index has none). */
    private static List<io.wharf.core.model.Descriptor> layersOf(Manifest p) {
        return p.config() == null ? p.blobs() : p.blobs().subList(1, p.blobs().size());
    }

    static Optional<Manifest> parse(StoredManifest m) {
        try {
            return Optional.of(ManifestParser.parseStored(m.mediaType(), m.content()));
        } catch (RuntimeException e) {
            return Optional.empty(); // accepted when pushed; unreadable now means it is no signature we can use
        }
    }
}
