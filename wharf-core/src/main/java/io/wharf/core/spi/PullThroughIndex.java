package io.wharf.core.spi;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pull-through cache rules, per account and keyed by their repository prefix, and when each cached tag was last
 * confirmed with its upstream (tag freshness). Rows about tags outlive their repository harmlessly: a tag is only
 * looked up here when the repository holds it.
 */
public interface PullThroughIndex {

    /**
     * One rule. {@code prefix} is ECR's {@code ecrRepositoryPrefix} ({@code ROOT} or a repository-name prefix without
     * the implied trailing slash); {@code credentialArn} and {@code customRoleArn} may be null.
     */
    record Rule(String account, String prefix, String upstreamRegistryUrl, String upstreamRegistry,
                String credentialArn, String customRoleArn, String upstreamRepositoryPrefix,
                Instant createdAt, Instant updatedAt) {
    }

    /** What {@link #createRule} did. */
    enum CreateOutcome { CREATED, EXISTS, LIMIT_EXCEEDED }

    /** Adds the rule unless its account has one with that prefix or already {@code maxRules} rules; atomic. */
    CreateOutcome createRule(Rule rule, int maxRules);

    Optional<Rule> findRule(String account, String prefix);

    /** The account's rules, by prefix. */
    List<Rule> rules(String account);

    /** Every account's rules (what the server keeps cached for the pull path). */
    List<Rule> allRules();

    /** Sets the rule's credential and role ARNs (null clears) and {@code updatedAt}; empty when there is no such rule. */
    Optional<Rule> updateRule(String account, String prefix, String credentialArn, String customRoleArn, Instant now);

    /** Removes the rule and returns it; empty when there was none. Cached repositories stay. */
    Optional<Rule> deleteRule(String account, String prefix);

    /** When the cached tag was last confirmed with (or fetched from) its upstream. */
    Optional<Instant> tagCheckedAt(String account, RepositoryName repository, Tag tag);

    /** Records that the cached tag was confirmed with its upstream at {@code at}. */
    void tagChecked(String account, RepositoryName repository, Tag tag, Instant at);
}
