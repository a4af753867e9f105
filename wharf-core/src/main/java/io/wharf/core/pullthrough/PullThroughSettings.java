package io.wharf.core.pullthrough;

import java.time.Duration;

/**
 * @param tagRefresh  how long a cached tag is served before the upstream is asked again (ECR: 24 hours, fixed)
 * @param rulesCache  how long a node serves pulls from its copy of the rules before reading them again
 * @param maxRules    rules per account (ECR: 50)
 * @param importDelay how long storing a fetched image waits before fetching blobs the client has not asked for
 *                    (the client's own requests stream; the import's would make it wait for whole blobs)
 * @param region      this deployment's region: credential ARNs must name it; AWS keys of a non-ECR host sign in it
 */
public record PullThroughSettings(Duration tagRefresh, Duration rulesCache, int maxRules, Duration importDelay,
                                  String region) {
    public static final Duration DEFAULT_TAG_REFRESH = Duration.ofHours(24);
    public static final Duration DEFAULT_RULES_CACHE = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_RULES = 50;
    public static final Duration DEFAULT_IMPORT_DELAY = Duration.ofSeconds(1);

    public static PullThroughSettings defaults(String region) {
        return new PullThroughSettings(DEFAULT_TAG_REFRESH, DEFAULT_RULES_CACHE, DEFAULT_MAX_RULES,
                DEFAULT_IMPORT_DELAY, region);
    }
}
