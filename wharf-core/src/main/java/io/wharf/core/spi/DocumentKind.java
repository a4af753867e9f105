package io.wharf.core.spi;

/** Documents stored verbatim for a repository or for an account's registry. */
public enum DocumentKind {
    /** Repository scope: the IAM resource policy. */
    REPOSITORY_POLICY,
    /** Repository scope: the lifecycle policy. */
    LIFECYCLE_POLICY,
    /** Repository scope: the policy text the last lifecycle run evaluated; written at the run's instant. */
    LIFECYCLE_EVALUATION,
    /** Repository scope: the last lifecycle policy preview's result (JSON, see {@code LifecyclePreview}). */
    LIFECYCLE_PREVIEW,
    /** Account scope: the registry policy. */
    REGISTRY_POLICY,
    /** Account scope: the registry scanning configuration (JSON). */
    REGISTRY_SCANNING,
    /** Repository scope: the keys a pull's signature must verify with (JSON, see {@code SignaturePolicy}). */
    SIGNATURE_POLICY,
    /** Account scope: ECR's signing configuration (JSON, see {@code SigningConfiguration}). */
    SIGNING_CONFIGURATION,
    /** Repository scope: why signing images on push failed (JSON, see {@code SigningFailures}). */
    SIGNING_FAILURES
}
