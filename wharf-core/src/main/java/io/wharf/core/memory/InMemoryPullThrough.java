package io.wharf.core.memory;

import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.spi.PullThroughIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link PullThroughIndex} in memory, under its own monitor. */
final class InMemoryPullThrough implements PullThroughIndex {
    private record TagKey(String account, RepositoryName repository, Tag tag) {
    }

    /** account → prefix → rule */
    private final Map<String, TreeMap<String, Rule>> rules = new HashMap<>();
    private final Map<TagKey, Instant> checked = new HashMap<>();

    @Override
    public synchronized CreateOutcome createRule(Rule rule, int maxRules) {
        TreeMap<String, Rule> own = rules.computeIfAbsent(rule.account(), a -> new TreeMap<>());
        if (own.containsKey(rule.prefix())) {
            return CreateOutcome.EXISTS;
        }
        if (own.size() >= maxRules) {
            return CreateOutcome.LIMIT_EXCEEDED;
        }
        own.put(rule.prefix(), rule);
        return CreateOutcome.CREATED;
    }

    @Override
    public synchronized Optional<Rule> findRule(String account, String prefix) {
        return Optional.ofNullable(rules.getOrDefault(account, new TreeMap<>()).get(prefix));
    }

    @Override
    public synchronized List<Rule> rules(String account) {
        return List.copyOf(rules.getOrDefault(account, new TreeMap<>()).values());
    }

    @Override
    public synchronized List<Rule> allRules() {
        List<Rule> all = new ArrayList<>();
        rules.values().forEach(m -> all.addAll(m.values()));
        return all;
    }

    @Override
    public synchronized Optional<Rule> updateRule(String account, String prefix, String credentialArn,
                                                  String customRoleArn, Instant now) {
        Rule r = rules.getOrDefault(account, new TreeMap<>()).get(prefix);
        if (r == null) {
            return Optional.empty();
        }
        Rule updated = new Rule(r.account(), r.prefix(), r.upstreamRegistryUrl(), r.upstreamRegistry(), credentialArn,
                customRoleArn, r.upstreamRepositoryPrefix(), r.createdAt(), now);
        rules.get(account).put(prefix, updated);
        return Optional.of(updated);
    }

    @Override
    public synchronized Optional<Rule> deleteRule(String account, String prefix) {
        TreeMap<String, Rule> own = rules.get(account);
        return own == null ? Optional.empty() : Optional.ofNullable(own.remove(prefix));
    }

    @Override
    public synchronized Optional<Instant> tagCheckedAt(String account, RepositoryName repository, Tag tag) {
        return Optional.ofNullable(checked.get(new TagKey(account, repository, tag)));
    }

    @Override
    public synchronized void tagChecked(String account, RepositoryName repository, Tag tag, Instant at) {
        checked.put(new TagKey(account, repository, tag), at);
    }
}
