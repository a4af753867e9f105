package io.wharf.core.usage;

import java.time.Duration;

/**
 * The {@code usage.*} configuration.
 *
 * @param flushInterval       how often counted pulls are written ({@code usage.flush-interval})
 * @param pullEvents          which pull events are written ({@code usage.pull-events})
 * @param warnRatio           the share of a quota at which a warning is written ({@code usage.warn-ratio})
 * @param storageQuotaBytes   bytes per repository warned about ({@code usage.storage-quota-bytes}; 0: none)
 * @param meterRepositories   repositories with their own label on the usage meters ({@code usage.meter-repositories})
 * @param meterCache          how long the meters reuse what they read ({@code usage.meter-cache})
 */
public record UsageSettings(Duration flushInterval, PullEvents pullEvents, double warnRatio, long storageQuotaBytes,
                            int meterRepositories, Duration meterCache) {

    public static UsageSettings defaults() {
        return new UsageSettings(Duration.ofSeconds(5), PullEvents.DAILY, 0.8, 0, 100, Duration.ofSeconds(10));
    }
}
