package io.wharf.scan.insight;

/**
 * Layer insight's limits (configuration keys {@code insight.*}, docs/configuration.md).
 *
 * @param enabled          queue pushed images and run the {@code insight} job
 * @param maxLayerBytes    uncompressed bytes of one layer beyond which it is not read (TOO_LARGE)
 * @param maxLayerEntries  entries of one layer beyond which it is not kept (TOO_LARGE)
 * @param maxImageEntries  entries of all of an image's layers together beyond which no figures are computed
 * @param chunkEntries     entries per stored chunk (each chunk also stops at about 1 MiB before compression)
 * @param maxPageSize      children one tree page may hold
 * @param batchSize        queued images the job takes per round
 */
public record InsightSettings(boolean enabled, long maxLayerBytes, int maxLayerEntries, long maxImageEntries,
                              int chunkEntries, int maxPageSize, int batchSize) {

    public static final InsightSettings DEFAULTS = new InsightSettings(true, 8L << 30, 500_000, 1_000_000, 4096, 1000, 16);

    public InsightSettings {
        if (maxLayerEntries < 1 || maxImageEntries < 1 || chunkEntries < 1 || maxPageSize < 1 || batchSize < 1
                || maxLayerBytes < 1) {
            throw new IllegalArgumentException("insight limits must be positive");
        }
    }
}
