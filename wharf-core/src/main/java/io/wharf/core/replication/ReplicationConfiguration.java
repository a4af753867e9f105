package io.wharf.core.replication;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.wharf.core.error.ConfigurationInvalidException;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.model.WildcardPattern;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A registry's replication configuration in ECR's shape (§3.6): rules of destinations and repository filters.
 * Wharf adds tag filters, carried as filters of type {@value #TAG_WILDCARD} in the same list (the aws CLI and SDKs
 * pass them through): a rule with tag filters replicates only images with a tag matching one of them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReplicationConfiguration(List<Rule> rules) {
    public static final String PREFIX_MATCH = "PREFIX_MATCH";
    public static final String TAG_WILDCARD = "WHARF_TAG_WILDCARD";
    public static final int MAX_RULES = 10;
    public static final int MAX_DESTINATIONS = 25;
    public static final int MAX_FILTERS = 100;
    public static final ReplicationConfiguration EMPTY = new ReplicationConfiguration(List.of());
    private static final Pattern REGION = Pattern.compile("[0-9a-z-]{2,25}");
    private static final Pattern REGISTRY_ID = Pattern.compile("[0-9]{12}");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9_./-]{2,256}");

    public ReplicationConfiguration {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rule(List<Destination> destinations, List<Filter> repositoryFilters) {
        public Rule {
            destinations = destinations == null ? List.of() : List.copyOf(destinations);
            repositoryFilters = repositoryFilters == null || repositoryFilters.isEmpty() ? null : List.copyOf(repositoryFilters);
        }

        /** Whether an image of {@code repository} with {@code tags} replicates under this rule. */
        public boolean matches(RepositoryName repository, Collection<Tag> tags) {
            List<Filter> filters = repositoryFilters == null ? List.of() : repositoryFilters;
            List<Filter> prefixes = filters.stream().filter(f -> PREFIX_MATCH.equals(f.filterType())).toList();
            List<Filter> tagFilters = filters.stream().filter(f -> TAG_WILDCARD.equals(f.filterType())).toList();
            boolean repoOk = prefixes.isEmpty() || prefixes.stream().anyMatch(f -> repository.value().startsWith(f.filter()));
            boolean tagOk = tagFilters.isEmpty() || tagFilters.stream()
                    .anyMatch(f -> tags.stream().anyMatch(t -> WildcardPattern.star(f.filter()).matches(t.value())));
            return repoOk && tagOk;
        }

        /** Whether this rule could replicate anything of the repository (its tag filters aside). */
        public boolean coversRepository(RepositoryName repository) {
            List<Filter> filters = repositoryFilters == null ? List.of() : repositoryFilters;
            List<Filter> prefixes = filters.stream().filter(f -> PREFIX_MATCH.equals(f.filterType())).toList();
            return prefixes.isEmpty() || prefixes.stream().anyMatch(f -> repository.value().startsWith(f.filter()));
        }
    }

    public record Destination(String region, String registryId) {
    }

    public record Filter(String filter, String filterType) {
    }

    /** The distinct destinations an image of {@code repository} with {@code tags} goes to. */
    public Set<Destination> destinationsFor(RepositoryName repository, Collection<Tag> tags) {
        Set<Destination> out = new LinkedHashSet<>();
        rules.stream().filter(r -> r.matches(repository, tags)).forEach(r -> out.addAll(r.destinations()));
        return out;
    }

    /**
     * The tags of an image of {@code repository} that go to {@code destination}: all of them under a rule without tag
     * filters, else those a tag filter of a rule sending there matches (a tag filtered out stays behind).
     */
    public List<Tag> tagsFor(Destination destination, RepositoryName repository, List<Tag> tags) {
        Set<Tag> out = new LinkedHashSet<>();
        for (Rule r : rules) {
            if (!r.destinations().contains(destination) || !r.coversRepository(repository)) {
                continue;
            }
            List<Filter> tagFilters = r.repositoryFilters() == null ? List.of()
                    : r.repositoryFilters().stream().filter(f -> TAG_WILDCARD.equals(f.filterType())).toList();
            if (tagFilters.isEmpty()) {
                return tags;
            }
            tags.stream().filter(t -> tagFilters.stream().anyMatch(f -> WildcardPattern.star(f.filter()).matches(t.value())))
                    .forEach(out::add);
        }
        return List.copyOf(out);
    }

    /** Whether any rule may replicate images of {@code repository}. */
    public boolean coversRepository(RepositoryName repository) {
        return rules.stream().anyMatch(r -> !r.destinations().isEmpty() && r.coversRepository(repository));
    }

    /** Every distinct destination of every rule. */
    public Set<Destination> destinations() {
        Set<Destination> out = new LinkedHashSet<>();
        rules.forEach(r -> out.addAll(r.destinations()));
        return out;
    }

    /**
     * Checks ECR's limits and shapes, and that no destination is the registry itself ({@code account} in
     * {@code region}).
     *
     * @throws ConfigurationInvalidException naming the first problem
     */
    public ReplicationConfiguration validate(String account, String region) {
        if (rules.size() > MAX_RULES) {
            throw invalid("rules", "Member must have length less than or equal to " + MAX_RULES);
        }
        for (int i = 0; i < rules.size(); i++) {
            validateRule(rules.get(i), "rules." + (i + 1), account, region);
        }
        if (destinations().size() > MAX_DESTINATIONS) {
            throw invalid("rules", "at most " + MAX_DESTINATIONS + " unique destinations across all rules");
        }
        return this;
    }

    private static void validateRule(Rule rule, String at, String account, String region) {
        Objects.requireNonNull(rule, at);
        if (rule.destinations().size() > MAX_DESTINATIONS) {
            throw invalid(at + ".destinations", "Member must have length less than or equal to " + MAX_DESTINATIONS);
        }
        for (Destination d : rule.destinations()) {
            if (d == null || d.region() == null || !REGION.matcher(d.region()).matches()) {
                throw invalid(at + ".destinations.region", "Member must satisfy regular expression pattern: [0-9a-z-]{2,25}");
            }
            if (d.registryId() == null || !REGISTRY_ID.matcher(d.registryId()).matches()) {
                throw invalid(at + ".destinations.registryId", "Member must satisfy regular expression pattern: [0-9]{12}");
            }
            if (d.region().equals(region) && d.registryId().equals(account)) {
                throw invalid(at + ".destinations", "a destination cannot be this registry itself (" + region + "/" + account + ")");
            }
        }
        List<Filter> filters = rule.repositoryFilters() == null ? List.of() : rule.repositoryFilters();
        if (filters.size() > MAX_FILTERS) {
            throw invalid(at + ".repositoryFilters", "Member must have length less than or equal to " + MAX_FILTERS);
        }
        filters.forEach(f -> validateFilter(f, at + ".repositoryFilters"));
    }

    private static void validateFilter(Filter f, String at) {
        if (f == null || f.filter() == null || f.filterType() == null) {
            throw invalid(at, "filter and filterType are required");
        }
        switch (f.filterType()) {
            case PREFIX_MATCH -> {
                if (!PREFIX.matcher(f.filter()).matches()) {
                    throw invalid(at + ".filter", "Member must satisfy regular expression pattern: ^[a-z0-9_./-]{2,256}$");
                }
            }
            case TAG_WILDCARD -> {
                if (f.filter().isEmpty() || f.filter().length() > 128) {
                    throw invalid(at + ".filter", "a tag filter is 1 to 128 characters, * matching any run");
                }
            }
            default -> throw invalid(at + ".filterType", "Member must satisfy enum value set: [" + PREFIX_MATCH + ", " + TAG_WILDCARD + "]");
        }
    }

    /** The rules of this configuration that are not in {@code before}: what a backfill replicates after a change. */
    public ReplicationConfiguration addedSince(ReplicationConfiguration before) {
        List<Rule> added = new ArrayList<>(rules);
        added.removeAll(before.rules());
        return new ReplicationConfiguration(added);
    }

    private static ConfigurationInvalidException invalid(String field, String constraint) {
        return new ConfigurationInvalidException("1 validation error detected: Value at 'replicationConfiguration."
                + field + "' failed to satisfy constraint: " + constraint, field);
    }
}
