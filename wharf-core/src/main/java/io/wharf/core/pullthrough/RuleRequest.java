package io.wharf.core.pullthrough;

/** What CreatePullThroughCacheRule asks for, as the caller sent it (null: absent). */
public record RuleRequest(String ecrRepositoryPrefix, String upstreamRegistryUrl, String upstreamRegistry,
                          String credentialArn, String customRoleArn, String upstreamRepositoryPrefix) {
}
