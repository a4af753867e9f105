package io.wharf.core.template;

import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicySyntaxException;
import io.wharf.core.lifecycle.LifecyclePolicy;
import io.wharf.core.lifecycle.LifecyclePolicyException;
import io.wharf.core.model.Encryption;
import java.util.regex.Pattern;

/** ECR's constraints on a creation template (§3.8), checked before it is stored. */
final class TemplateRules {
    /** ECR's prefix pattern: a repository-name prefix, optionally ending in {@code /}, or ROOT. */
    private static final Pattern PREFIX = Pattern.compile(
            "^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*/?|ROOT)$");
    static final int MAX_PREFIX = 256;
    static final int MAX_DESCRIPTION = 256;
    static final int MAX_POLICY = 10_240;
    static final int MAX_RESOURCE_TAGS = 50;
    static final int MAX_ROLE_ARN = 2048;

    private TemplateRules() {
    }

    static void validate(CreationTemplate t) {
        if (t.prefix().length() > MAX_PREFIX || !PREFIX.matcher(t.prefix()).matches()) {
            throw invalid("prefix", "must be ROOT or a repository name prefix of at most " + MAX_PREFIX + " characters",
                    t.prefix());
        }
        if (t.description() != null && t.description().length() > MAX_DESCRIPTION) {
            throw invalid("description", "Member must have length less than or equal to " + MAX_DESCRIPTION, null);
        }
        if (t.appliedFor().isEmpty()) {
            throw invalid("appliedFor", "at least one of PULL_THROUGH_CACHE, REPLICATION, CREATE_ON_PUSH is required", null);
        }
        if (t.resourceTags().size() > MAX_RESOURCE_TAGS) {
            throw invalid("resourceTags", "at most " + MAX_RESOURCE_TAGS + " tags", null);
        }
        if (t.customRoleArn() != null && t.customRoleArn().length() > MAX_ROLE_ARN) {
            throw invalid("customRoleArn", "Member must have length less than or equal to " + MAX_ROLE_ARN, null);
        }
        encryption(t.encryption());
        repositoryPolicy(t.repositoryPolicy());
        lifecyclePolicy(t.lifecyclePolicy());
    }

    private static void encryption(Encryption e) {
        if (e.kmsKey() != null && !e.kmsKey().startsWith("arn:")) {
            throw invalid("encryptionConfiguration.kmsKey", "a template's KMS key must be a full key ARN", e.kmsKey());
        }
    }

    private static void repositoryPolicy(String text) {
        if (text == null) {
            return;
        }
        if (text.length() > MAX_POLICY) {
            throw invalid("repositoryPolicy", "Member must have length less than or equal to " + MAX_POLICY, null);
        }
        try {
            PolicyDocument.parse(text);
        } catch (PolicySyntaxException e) {
            throw invalid("repositoryPolicy", "Invalid repository policy provided: " + e.getMessage(), null);
        }
    }

    private static void lifecyclePolicy(String text) {
        if (text == null) {
            return;
        }
        if (text.length() < LifecyclePolicy.MIN_LENGTH || text.length() > LifecyclePolicy.MAX_LENGTH) {
            throw invalid("lifecyclePolicy", "Member must have length between " + LifecyclePolicy.MIN_LENGTH + " and "
                    + LifecyclePolicy.MAX_LENGTH, null);
        }
        try {
            LifecyclePolicy.parse(text);
        } catch (LifecyclePolicyException e) {
            throw invalid("lifecyclePolicy", e.getMessage(), null);
        }
    }

    private static ParameterInvalidException invalid(String member, String constraint, String detail) {
        return new ParameterInvalidException("Invalid parameter at '" + member + "' failed to satisfy constraint: '"
                + constraint + "'", detail);
    }
}
