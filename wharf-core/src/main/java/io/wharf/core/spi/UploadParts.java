package io.wharf.core.spi;

/**
 * Part bookkeeping of an ECR multi-part layer upload. Whether a part is the last is only known at
 * completion, so each new part decides whether its predecessor was an undersized non-final part.
 *
 * @param count        parts received
 * @param lastPartSize size of the most recent part (0 when none)
 * @param undersized   some part other than the most recent was below the minimum part size
 */
public record UploadParts(int count, long lastPartSize, boolean undersized) {
    public static final UploadParts NONE = new UploadParts(0, 0, false);

    /** The bookkeeping after one more part of {@code size} bytes. */
    public UploadParts next(long size, long minPartSize) {
        return new UploadParts(count + 1, size, undersized || (count > 0 && lastPartSize < minPartSize));
    }
}
