package io.wharf.scan.model;

import java.util.List;

/**
 * What one image (one platform's manifest) contains: its operating system, if one was recognised, and the
 * packages visible once its layers are merged with OCI whiteout semantics, in a stable order.
 */
public record ImageInventory(OsRelease os, List<FoundPackage> packages) {

    public ImageInventory {
        packages = List.copyOf(packages);
    }
}
