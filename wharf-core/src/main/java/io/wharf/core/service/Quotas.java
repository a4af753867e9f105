package io.wharf.core.service;

/**
 * Per-account and per-repository quotas, with Amazon ECR's defaults. Exceeding one is
 * {@link io.wharf.core.error.LimitExceededException} (or a part-size error) on both APIs.
 *
 * @param repositoriesPerRegistry repositories an account may hold
 * @param imagesPerRepository     manifests (tagged or not) a repository may hold
 * @param tagsPerImage            tags one manifest may carry
 * @param resourceTagsPerRepository key/value resource tags per repository
 * @param maxLayerBytes           largest layer (blob) accepted
 * @param minPartBytes            smallest part of an API layer upload, except the last
 * @param maxPartBytes            largest part of an API layer upload
 * @param maxPartsPerUpload       parts one API layer upload may have
 * @param maxPolicyChars          longest repository or registry policy
 * @param maxLifecyclePolicyChars longest lifecycle policy
 */
public record Quotas(long repositoriesPerRegistry, long imagesPerRepository, int tagsPerImage,
                     int resourceTagsPerRepository, long maxLayerBytes, long minPartBytes, long maxPartBytes,
                     int maxPartsPerUpload, int maxPolicyChars, int maxLifecyclePolicyChars) {
    private static final long MIB = 1024 * 1024;

    public static Quotas defaults() {
        return new Quotas(100_000, 100_000, 1_000, 50, 52_000 * MIB, 5 * MIB, 10 * MIB, 4_200, 10_240, 30_720);
    }
}
