package io.wharf.scan.layer;

import io.wharf.core.model.Digest;
import java.io.IOException;
import java.io.InputStream;

/**
 * One layer of an image, in manifest order.
 *
 * @param digest    the blob's digest as the manifest lists it
 * @param mediaType the descriptor's media type (tar, tar+gzip, tar+zstd, Docker's rootfs.diff.tar.gzip); the
 *                  reader also recognises the compression from the first bytes
 * @param size      the blob's size in bytes
 * @param diffId    the uncompressed digest the image config claims for this layer, or null; used to look up
 *                  the cache only
 * @param content   opens the blob's bytes (called at most once, and only on a cache miss)
 */
public record LayerSource(Digest digest, String mediaType, long size, Digest diffId, Opener content) {

    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }
}
