package io.wharf.core.pullthrough;

import io.wharf.core.error.ConfigurationInvalidException;
import io.wharf.core.error.PullThroughException;
import java.util.regex.Pattern;

/** ECR's constraints on a rule's fields (§3.7): prefixes, the credential ARN, the role ARN. */
final class RuleChecks {
    static final String ROOT = "ROOT";
    private static final Pattern PREFIX = Pattern.compile("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*");
    private static final Pattern CREDENTIAL = Pattern.compile(
            "arn:aws(?:-\\w+)*:secretsmanager:([a-z0-9-]+):([0-9]{12}):secret:(ecr-pullthroughcache/[\\w+=.@/-]+)");
    private static final Pattern ROLE = Pattern.compile("arn:aws(?:-\\w+)*:iam::[0-9]{12}:role/[\\w+=,.@/-]+");

    private RuleChecks() {
    }

    /** {@code ROOT} or a repository-name prefix of 2–30 characters (a trailing slash is implied, not written). */
    static String prefix(String member, String value) {
        if (value == null || value.isEmpty()) {
            throw invalid(member, "must not be null or empty");
        }
        if (!ROOT.equals(value) && (value.length() < 2 || value.length() > 30 || !PREFIX.matcher(value).matches())) {
            throw invalid(member, "must be ROOT or 2-30 characters matching " + PREFIX.pattern());
        }
        return value;
    }

    /**
     * The secret name a credential ARN names, after checking it is a Secrets Manager ARN of this account and region
     * whose name starts with {@code ecr-pullthroughcache/}.
     */
    static String secretName(String arn, String account, String region) {
        var m = arn.length() > 612 ? null : CREDENTIAL.matcher(arn);
        if (m == null || !m.matches()) {
            throw invalid("credentialArn", "must be a Secrets Manager secret ARN whose name starts with ecr-pullthroughcache/");
        }
        if (!m.group(1).equals(region) || !m.group(2).equals(account)) {
            throw invalid("credentialArn", "the secret must be in the rule's account and region");
        }
        return m.group(3);
    }

    static String role(String arn) {
        if (arn != null && (arn.length() > 2048 || !ROLE.matcher(arn).matches())) {
            throw invalid("customRoleArn", "must be an IAM role ARN");
        }
        return arn;
    }

    static String upstreamName(String given, String derived) {
        if (given == null || given.isEmpty()) {
            return derived;
        }
        if (!Upstreams.NAMES.contains(given)) {
            throw new PullThroughException(PullThroughException.Kind.UNSUPPORTED_UPSTREAM,
                    "The upstream registry '" + given + "' is not supported", given);
        }
        return given;
    }

    static ConfigurationInvalidException invalid(String member, String constraint) {
        return new ConfigurationInvalidException("Invalid parameter at '" + member + "' failed to satisfy constraint: '"
                + constraint + "'", member);
    }
}
