package io.wharf.core.spi;

/**
 * What one account's repositories hold, summed from their counters. A blob linked into two of the account's
 * repositories counts twice in {@code blobBytes} and in neither repository's {@code exclusiveBytes}.
 *
 * @param logicalBytes   manifests and linked blobs summed over the repositories: what pulling everything would move
 * @param exclusiveBytes blob bytes no other repository links, summed: what deleting all of them would free
 */
public record AccountUsage(String account, long repositories, long images, long tags, long manifestBytes,
                           long blobBytes, long exclusiveBytes) {

    public long logicalBytes() {
        return manifestBytes + blobBytes;
    }
}
