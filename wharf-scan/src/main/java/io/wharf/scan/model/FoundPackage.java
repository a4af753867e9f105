package io.wharf.scan.model;

import io.wharf.core.model.Digest;

/**
 * A package visible in the merged image, with the first layer that holds it (ECR's {@code sourceLayerHash}).
 *
 * @param layerIndex  0 for the bottom layer
 * @param layerDigest the layer blob's digest (compressed, as in the manifest)
 * @param diffId      the layer's uncompressed digest
 */
public record FoundPackage(Pkg pkg, int layerIndex, Digest layerDigest, Digest diffId) {
}
