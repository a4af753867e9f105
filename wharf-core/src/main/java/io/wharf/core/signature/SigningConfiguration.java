package io.wharf.core.signature;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.error.ConfigurationInvalidException;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.WildcardPattern;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The registry's signing configuration (ECR's shape): up to {@value #MAX_RULES} rules, each naming a signing profile
 * and the repositories (wildcard filters) whose pushed images it signs.
 */
public record SigningConfiguration(List<Rule> rules) {
    public static final int MAX_RULES = 10;
    public static final int MAX_FILTERS = 100;
    public static final String WILDCARD_MATCH = "WILDCARD_MATCH";
    /** AWS Signer's profile ARN; Wharf keeps one signing key per profile ARN. */
    private static final Pattern PROFILE_ARN =
            Pattern.compile("arn:aws[a-z-]*:signer:[a-z0-9-]+:\\d{12}:/signing-profiles/[A-Za-z0-9_]{2,64}");
    private static final Pattern FILTER = Pattern.compile("[a-z0-9._/*-]{1,256}");
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Filter(String filter, String filterType) {
        boolean matches(RepositoryName name) {
            return WildcardPattern.star(filter).matches(name.value());
        }
    }

    public record Rule(String signingProfileArn, List<Filter> repositoryFilters) {
        public boolean covers(RepositoryName name) {
            return repositoryFilters.stream().anyMatch(f -> f.matches(name));
        }
    }

    public SigningConfiguration {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /** Checks every rule: ECR's limits, a profile ARN, WILDCARD_MATCH filters. */
    public SigningConfiguration validated() {
        if (rules.size() > MAX_RULES) {
            throw invalid("rules must have at most " + MAX_RULES + " members");
        }
        for (int i = 0; i < rules.size(); i++) {
            check(rules.get(i), "signingConfiguration.rules." + (i + 1));
        }
        return this;
    }

    private static void check(Rule rule, String at) {
        if (rule == null || rule.signingProfileArn() == null || !PROFILE_ARN.matcher(rule.signingProfileArn()).matches()) {
            throw invalid(at + ".signingProfileArn must be a signing profile ARN"
                    + " (arn:aws:signer:<region>:<account>:/signing-profiles/<name>)");
        }
        List<Filter> filters = rule.repositoryFilters();
        if (filters == null || filters.isEmpty() || filters.size() > MAX_FILTERS) {
            throw invalid(at + ".repositoryFilters must have 1 to " + MAX_FILTERS + " members");
        }
        for (Filter f : filters) {
            if (f == null || !WILDCARD_MATCH.equals(f.filterType())) {
                throw invalid(at + ".repositoryFilters.filterType must be " + WILDCARD_MATCH);
            }
            if (f.filter() == null || !FILTER.matcher(f.filter()).matches()) {
                throw invalid(at + ".repositoryFilters.filter must be 1-256 of a-z 0-9 . _ / - and *");
            }
        }
    }

    /** The rules that sign images pushed to this repository. */
    @JsonIgnore
    public List<Rule> rulesFor(RepositoryName name) {
        return rules.stream().filter(r -> r.covers(name)).toList();
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SigningConfiguration fromJson(String json) {
        try {
            return JSON.readValue(json, SigningConfiguration.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored signing configuration unreadable", e);
        }
    }

    private static ConfigurationInvalidException invalid(String message) {
        return new ConfigurationInvalidException("1 validation error detected: " + message, null);
    }
}
