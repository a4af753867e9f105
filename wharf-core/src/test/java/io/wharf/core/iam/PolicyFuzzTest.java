package io.wharf.core.iam;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Map;

/**
 * Fuzz target of IAM policy documents (identity, repository and registry policies come from callers): parsing
 * either succeeds or throws {@link PolicySyntaxException}, and a parsed policy evaluates, its conditions included,
 * without failing. Seeds: {@code PolicyFuzzTestInputs/policies/}.
 */
class PolicyFuzzTest {
    private static final AuthzRequest REQUEST = new AuthzRequest(Principal.user("123456789012", "ci"),
            "ecr:BatchGetImage", "arn:aws:ecr:us-east-1:123456789012:repository/team/app", null,
            Map.of("aws:SourceIp", List.of("203.0.113.7"), "aws:CurrentTime", List.of("2026-01-01T00:00:00Z"),
                    "aws:EpochTime", List.of("1767225600"), "aws:ResourceTag/team", List.of("a*b?c"),
                    "aws:MultiFactorAuthPresent", List.of("true"), "aws:username", List.of("ci")));

    @FuzzTest
    void policies(byte[] input) {
        PolicyDocument policy;
        try {
            policy = PolicyDocument.parse(new String(input, UTF_8));
        } catch (PolicySyntaxException refused) {
            return;
        }
        PolicyEvaluator.evaluate(REQUEST, List.of(policy), policy, policy);
    }
}
