package io.wharf.scan.layer;

/**
 * A regular file of a layer as the tar names it.
 *
 * @param path normalized: relative to the image root, no leading {@code ./} or {@code /}, no {@code .}/{@code ..} segments
 * @param size bytes
 * @param mode the permission bits from the tar header (e.g. {@code 0755}); executables have an x bit
 */
public record LayerEntry(String path, long size, int mode) {

    public boolean executable() {
        return (mode & 0111) != 0;
    }

    /** The last path segment. */
    public String fileName() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
