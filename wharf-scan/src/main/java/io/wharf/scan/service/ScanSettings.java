package io.wharf.scan.service;

import java.time.Duration;

/**
 * The scanner's configuration ({@code scanning.*}).
 *
 * @param sbom              push a CycloneDX SBOM referrer for every scanned image
 * @param maxImageBytes     sum of an image's compressed layers beyond which it is not analysed
 * @param maxFileBytes      a wanted file larger than this is skipped
 * @param maxLayerBytes     uncompressed bytes of one layer beyond which reading stops
 * @param manualScansPerDay scans (manual and on push) one image may have in 24 hours; 0: no limit
 * @param claimLease        how long a node holds a claimed scan before another may take it over
 * @param maxAttempts       claims of one scan (a node that died mid-scan counts) before it is FAILED
 * @param batchSize         scans one run of the {@code scan} job claims at most
 */
public record ScanSettings(boolean enabled, boolean sbom, long maxImageBytes, long maxFileBytes, long maxLayerBytes,
                           int manualScansPerDay, Duration claimLease, int maxAttempts, int batchSize) {

    public static final ScanSettings DEFAULTS = new ScanSettings(true, true, 2L << 30, 64L << 20, 8L << 30, 1,
            Duration.ofMinutes(10), 3, 50);
}
