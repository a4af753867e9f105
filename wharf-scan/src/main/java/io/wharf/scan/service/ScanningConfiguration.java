package io.wharf.scan.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.error.ConfigurationInvalidException;
import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.model.WildcardPattern;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A registry's scanning configuration (ECR's shape, stored as {@code DocumentKind.REGISTRY_SCANNING}): the scan
 * type and up to two rules, each a frequency and repository filters. Validated here, for the ECR adapter and
 * for the scanner alike.
 */
public record ScanningConfiguration(String scanType, List<Rule> rules) {
    public static final String BASIC = "BASIC";
    public static final String ENHANCED = "ENHANCED";
    public static final String SCAN_ON_PUSH = "SCAN_ON_PUSH";
    public static final String CONTINUOUS_SCAN = "CONTINUOUS_SCAN";
    public static final String MANUAL = "MANUAL";
    public static final ScanningConfiguration DEFAULT = new ScanningConfiguration(BASIC, List.of());

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Set<String> TYPES = Set.of(BASIC, ENHANCED);
    private static final Set<String> FREQUENCIES = Set.of(SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL);
    private static final Pattern FILTER = Pattern.compile("[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*");

    public record Filter(String filter, String filterType) {
        /** ECR's WILDCARD: {@code *} is any run; a filter without one matches names that contain it. */
        public boolean matches(String repository) {
            return filter.indexOf('*') < 0 ? repository.contains(filter) : WildcardPattern.star(filter).matches(repository);
        }
    }

    public record Rule(String scanFrequency, List<Filter> repositoryFilters) {
        public Rule {
            repositoryFilters = repositoryFilters == null ? List.of() : List.copyOf(repositoryFilters);
        }

        boolean matches(String repository) {
            return repositoryFilters.stream().anyMatch(f -> f.matches(repository));
        }
    }

    public ScanningConfiguration {
        rules = rules == null ? List.of() : List.copyOf(rules);
    }

    /**
     * What applies to one repository (ECR's {@code RepositoryScanningConfiguration}).
     *
     * @param scanFrequency      SCAN_ON_PUSH, CONTINUOUS_SCAN or MANUAL
     * @param appliedScanFilters the filters of the rule that decided
     */
    public record Effective(String scanType, String scanFrequency, boolean scanOnPush, List<Filter> appliedScanFilters) {
        public boolean continuous() {
            return CONTINUOUS_SCAN.equals(scanFrequency);
        }
    }

    /**
     * The configuration one repository gets. With registry rules, the rules decide (a continuous rule wins over
     * a scan-on-push one) and the repository's deprecated {@code scanOnPush} is ignored; without any, that flag
     * decides for basic scanning (enhanced scanning scans only what its rules name).
     */
    public Effective forRepository(String repository, boolean repositoryScanOnPush) {
        if (rules.isEmpty()) {
            // enhanced scanning ignores the deprecated flag: without rules nothing is scanned
            boolean onPush = repositoryScanOnPush && BASIC.equals(scanType);
            return new Effective(scanType, onPush ? SCAN_ON_PUSH : MANUAL, onPush, List.of());
        }
        for (String frequency : List.of(CONTINUOUS_SCAN, SCAN_ON_PUSH)) {
            for (Rule rule : rules) {
                if (rule.scanFrequency().equals(frequency) && rule.matches(repository)) {
                    return new Effective(scanType, frequency, true, rule.repositoryFilters());
                }
            }
        }
        return new Effective(scanType, MANUAL, false, List.of());
    }

    /**
     * Checks a configuration as {@code PutRegistryScanningConfiguration} receives it (null type means BASIC):
     * {@link ParameterInvalidException} for a broken constraint, {@link ConfigurationInvalidException} for a
     * continuous rule under BASIC scanning.
     */
    public static ScanningConfiguration validated(String scanType, List<Rule> rules) {
        String type = scanType == null ? BASIC : oneOf("scanType", scanType, TYPES);
        List<Rule> checked = rules == null ? List.of() : rules;
        if (checked.size() > 2) {
            throw invalid("rules", "Member must have length less than or equal to 2");
        }
        checked.forEach(r -> check(type, r));
        return new ScanningConfiguration(type, checked);
    }

    private static void check(String scanType, Rule rule) {
        String frequency = oneOf("scanFrequency", rule.scanFrequency(), FREQUENCIES);
        if (BASIC.equals(scanType) && CONTINUOUS_SCAN.equals(frequency)) {
            throw new ConfigurationInvalidException("CONTINUOUS_SCAN is not a valid scan frequency for BASIC scanning", null);
        }
        if (rule.repositoryFilters().isEmpty() || rule.repositoryFilters().size() > 100) {
            throw invalid("repositoryFilters", "Member must have length between 1 and 100");
        }
        for (Filter f : rule.repositoryFilters()) {
            oneOf("filterType", f.filterType(), Set.of("WILDCARD"));
            if (f.filter() == null || f.filter().isEmpty() || f.filter().length() > 255) {
                throw invalid("filter", "Member must have length between 1 and 255");
            }
            if (!FILTER.matcher(f.filter()).matches()) {
                throw invalid("filter", "Member must satisfy regular expression pattern: " + FILTER.pattern());
            }
        }
    }

    private static String oneOf(String member, String value, Set<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw invalid(member, "Member must satisfy enum value set: " + allowed.stream().sorted().toList());
        }
        return value;
    }

    /** A broken model constraint: ECR answers InvalidParameterException for those. */
    private static ParameterInvalidException invalid(String member, String constraint) {
        return new ParameterInvalidException("Invalid parameter at '" + member + "' failed to satisfy constraint: '"
                + constraint + "'", null);
    }

    /** The stored document; a damaged one reads as the default. */
    public static ScanningConfiguration parse(String json) {
        try {
            ScanningConfiguration c = JSON.readValue(json, ScanningConfiguration.class);
            return c.scanType() == null ? DEFAULT : c;
        } catch (JsonProcessingException e) {
            return DEFAULT;
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
