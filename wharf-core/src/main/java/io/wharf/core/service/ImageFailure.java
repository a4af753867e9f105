package io.wharf.core.service;

/**
 * One entry of a batch operation that could not be carried out; the batch goes on. {@code digest}
 * and {@code tag} echo what the caller asked for (either may be null).
 */
public record ImageFailure(String digest, String tag, Code code, String reason) {

    /** ECR's failure codes, spelled as on the wire. */
    public enum Code {
        InvalidImageDigest, InvalidImageTag, ImageTagDoesNotMatchDigest, ImageNotFound, MissingDigestAndTag,
        ImageReferencedByManifestList,
        /** Refused by the repository's signature policy (ECR's code for an image that may not be read). */
        ImageInaccessible
    }

    static ImageFailure of(ImageQuery q, Code code, String reason) {
        return new ImageFailure(q.digest() == null ? null : q.digest().toString(),
                q.tag() == null ? null : q.tag().value(), code, reason);
    }
}
