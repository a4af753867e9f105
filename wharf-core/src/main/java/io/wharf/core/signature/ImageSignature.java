package io.wharf.core.signature;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Tag;
import java.util.List;

/**
 * A signature artifact found for an image.
 *
 * @param artifact the signature manifest's digest
 * @param tag      cosign's {@code sha256-<hex>.sig} tag for {@link SignatureKind#COSIGN_TAG}, else null
 * @param layers   the signature layers (cosign: one per signature; others: the artifact's layers)
 */
public record ImageSignature(SignatureKind kind, Digest artifact, String artifactType, Tag tag,
                             List<SignatureLayer> layers) {

    public ImageSignature {
        layers = List.copyOf(layers);
    }

    /** cosign's tag for the signatures of {@code image}: {@code sha256-<hex>.sig}. */
    public static Tag cosignTag(Digest image) {
        return new Tag(image.algorithm().prefix() + "-" + image.hex() + ".sig");
    }
}
