package io.wharf.core.spi;

/**
 * What the whole store holds.
 *
 * @param repositories  repositories of every account
 * @param images        manifests of every repository (a manifest pushed to two repositories counts twice: it is
 *                      stored twice)
 * @param manifestBytes their sizes summed
 * @param blobs         every recorded blob, linked or not: what the blob store holds
 * @param blobBytes     their sizes summed
 * @param unlinkedBlobs blobs no repository links: garbage awaiting collection (the repositories that linked them
 *                      unlinked them or were deleted)
 * @param unlinkedBytes their sizes summed: what garbage collection will give back of them
 */
public record RegistryUsage(long repositories, long images, long manifestBytes, long blobs, long blobBytes,
                            long unlinkedBlobs, long unlinkedBytes) {
}
