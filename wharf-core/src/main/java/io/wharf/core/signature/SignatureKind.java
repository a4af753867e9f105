package io.wharf.core.signature;

/** The signature formats Wharf recognises beside an image. */
public enum SignatureKind {
    /** cosign's tag scheme: a {@code sha256-<hex>.sig} manifest of simple-signing layers in the same repository. */
    COSIGN_TAG,
    /** cosign signatures stored as OCI 1.1 referrers ({@link #COSIGN_ARTIFACT_TYPE}). */
    COSIGN_REFERRER,
    /** A sigstore bundle stored as a referrer ({@link #SIGSTORE_BUNDLE_TYPE}). */
    SIGSTORE_BUNDLE,
    /** A Notary Project (Notation) signature stored as a referrer ({@link #NOTATION_TYPE}). */
    NOTATION;

    public static final String SIMPLE_SIGNING_LAYER = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String COSIGN_ARTIFACT_TYPE = "application/vnd.dev.cosign.artifact.sig.v1+json";
    public static final String SIGSTORE_BUNDLE_TYPE = "application/vnd.dev.sigstore.bundle.v0.3+json";
    public static final String NOTATION_TYPE = "application/vnd.cncf.notary.signature";
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    public static final String CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate";
    public static final String BUNDLE_ANNOTATION = "dev.sigstore.cosign/bundle";
    public static final String CHAIN_ANNOTATION = "dev.sigstore.cosign/chain";

    /** cosign's simple-signing signatures, in either scheme: what Wharf verifies and writes. */
    public boolean isCosign() {
        return this == COSIGN_TAG || this == COSIGN_REFERRER;
    }

    /** The kind of a referrer by its artifact type; null when it is no signature. */
    public static SignatureKind ofReferrer(String artifactType) {
        if (artifactType == null) {
            return null;
        }
        return switch (artifactType) {
            case COSIGN_ARTIFACT_TYPE -> COSIGN_REFERRER;
            case SIGSTORE_BUNDLE_TYPE -> SIGSTORE_BUNDLE;
            case NOTATION_TYPE -> NOTATION;
            default -> null;
        };
    }
}
