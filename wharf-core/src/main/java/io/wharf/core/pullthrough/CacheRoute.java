package io.wharf.core.pullthrough;

import io.wharf.core.spi.PullThroughIndex.Rule;

/** A repository under a pull-through cache rule, and the name of the repository it caches in the upstream. */
public record CacheRoute(Rule rule, String upstreamRepository) {

    /**
     * The route of {@code repository} under {@code rule}, or null when the rule does not cover it:
     * {@code <prefix>/<rest>} → {@code <upstreamRepositoryPrefix>/<rest>} (ROOT on either side: nothing).
     */
    static CacheRoute of(Rule rule, String repository) {
        String rest;
        if (RuleChecks.ROOT.equals(rule.prefix())) {
            rest = repository;
        } else if (repository.startsWith(rule.prefix() + "/")) {
            rest = repository.substring(rule.prefix().length() + 1);
        } else {
            return null;
        }
        String up = rule.upstreamRepositoryPrefix();
        return new CacheRoute(rule, up == null || RuleChecks.ROOT.equals(up) ? rest : up + "/" + rest);
    }
}
