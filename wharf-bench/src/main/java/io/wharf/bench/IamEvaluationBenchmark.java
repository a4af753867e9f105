package io.wharf.bench;

import io.wharf.core.iam.AuthzRequest;
import io.wharf.core.iam.Decision;
import io.wharf.core.iam.PolicyDocument;
import io.wharf.core.iam.PolicyEvaluator;
import io.wharf.core.iam.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * IAM evaluation of one authorization question, as every authenticated request asks it
 * ({@code PolicyEvaluator.evaluate}, policies already parsed; {@code parse} measures parsing one).
 *
 * <ul>
 *   <li>{@code root} — the account root on its own repository, no repository policy (the common case).</li>
 *   <li>{@code user} — an IAM user with two identity policies (six statements, wildcards), allowed by the last.</li>
 *   <li>{@code crossAccount} — a user of another account: identity policy plus a repository policy naming
 *       the account with conditions (aws:SourceIp, aws:CurrentTime), and a registry policy.</li>
 *   <li>{@code deny} — a user whose pull is refused by a repository-policy Deny with a condition.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IamEvaluationBenchmark {
    private static final String OWNER = "111122223333";
    private static final String OTHER = "444455556666";
    private static final String REPO_ARN = "arn:aws:ecr:us-east-1:" + OWNER + ":repository/team/app";

    private static final String IDENTITY_READ = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Token","Effect":"Allow","Action":"ecr:GetAuthorizationToken","Resource":"*"},
              {"Sid":"Describe","Effect":"Allow","Action":["ecr:Describe*","ecr:List*"],
               "Resource":"arn:aws:ecr:us-east-1:%1$s:repository/other/*"},
              {"Sid":"Lifecycle","Effect":"Allow","Action":"ecr:GetLifecyclePolicy*",
               "Resource":"arn:aws:ecr:*:%1$s:repository/infra/*"}]}""";
    private static final String IDENTITY_PULL = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Push","Effect":"Allow","Action":["ecr:PutImage","ecr:InitiateLayerUpload","ecr:UploadLayerPart",
                "ecr:CompleteLayerUpload"],"Resource":"arn:aws:ecr:us-east-1:%1$s:repository/ci/*"},
              {"Sid":"Tagged","Effect":"Allow","Action":"ecr:*","Resource":"*",
               "Condition":{"StringEquals":{"aws:ResourceTag/team":"${aws:username}"}}},
              {"Sid":"Pull","Effect":"Allow","Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer",
                "ecr:BatchCheckLayerAvailability"],"Resource":"arn:aws:ecr:us-east-1:*:repository/team/*"}]}""";
    private static final String REPOSITORY_CROSS = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Ops","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%1$s:user/ops"},"Action":"ecr:*"},
              {"Sid":"PartnerPull","Effect":"Allow","Principal":{"AWS":["%2$s","999988887777"]},
               "Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],
               "Condition":{"IpAddress":{"aws:SourceIp":["10.0.0.0/8","127.0.0.0/8"]},
                            "DateLessThan":{"aws:CurrentTime":"2099-01-01T00:00:00Z"}}}]}""";
    private static final String REPOSITORY_DENY = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Everyone","Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"},
              {"Sid":"NotFromOutside","Effect":"Deny","Principal":"*","Action":"ecr:*",
               "Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}""";
    private static final String REGISTRY = """
            {"Version":"2012-10-17","Statement":[
              {"Sid":"Replication","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%1$s:root"},
               "Action":["ecr:CreateRepository","ecr:ReplicateImage"],
               "Resource":"arn:aws:ecr:us-east-1:%2$s:repository/*"}]}""";

    private final String policyText = IDENTITY_PULL.formatted(OWNER);

    /** One authorization question and the policies that apply to it. */
    @State(Scope.Thread)
    public static class Question {
        @Param({"root", "user", "crossAccount", "deny"})
        public String scenario;

        private AuthzRequest request;
        private List<PolicyDocument> identity;
        private PolicyDocument repositoryPolicy;
        private PolicyDocument registryPolicy;

        @Setup
        public void setUp() {
            Decision expected;
            Map<String, List<String>> context = Map.of(
                    "aws:SourceIp", List.of("127.0.0.1"),
                    "aws:CurrentTime", List.of("2026-01-01T00:00:00Z"),
                    "aws:username", List.of("builder"),
                    "aws:ResourceTag/team", List.of("platform"));
            identity = List.of();
            repositoryPolicy = null;
            registryPolicy = null;
            switch (scenario) {
                case "root" -> {
                    request = new AuthzRequest(Principal.root(OWNER), "ecr:BatchGetImage", REPO_ARN, null, context);
                    expected = Decision.ALLOW;
                }
                case "user" -> {
                    request = new AuthzRequest(Principal.user(OWNER, "builder"), "ecr:BatchGetImage", REPO_ARN, null, context);
                    identity = List.of(identityPolicy(IDENTITY_READ, OWNER), identityPolicy(IDENTITY_PULL, OWNER));
                    expected = Decision.ALLOW;
                }
                case "crossAccount" -> {
                    request = new AuthzRequest(Principal.user(OTHER, "builder"), "ecr:BatchGetImage", REPO_ARN, null, context);
                    identity = List.of(identityPolicy(IDENTITY_READ, OTHER), identityPolicy(IDENTITY_PULL, OTHER));
                    repositoryPolicy = PolicyDocument.parse(REPOSITORY_CROSS.formatted(OWNER, OTHER)).requireResourcePolicy();
                    registryPolicy = PolicyDocument.parse(REGISTRY.formatted(OTHER, OWNER)).requireResourcePolicy();
                    expected = Decision.ALLOW;
                }
                case "deny" -> {
                    request = new AuthzRequest(Principal.user(OWNER, "builder"), "ecr:BatchGetImage", REPO_ARN, null, context);
                    identity = List.of(identityPolicy(IDENTITY_PULL, OWNER));
                    repositoryPolicy = PolicyDocument.parse(REPOSITORY_DENY).requireResourcePolicy();
                    expected = Decision.EXPLICIT_DENY;
                }
                default -> throw new IllegalArgumentException(scenario);
            }
            Decision actual = PolicyEvaluator.evaluate(request, identity, repositoryPolicy, registryPolicy);
            if (actual != expected) {
                throw new IllegalStateException(scenario + ": expected " + expected + ", got " + actual);
            }
        }
    }

    private static PolicyDocument identityPolicy(String template, String account) {
        return PolicyDocument.parse(template.formatted(account)).requireIdentityPolicy();
    }

    @Benchmark
    public Decision evaluate(Question q) {
        return PolicyEvaluator.evaluate(q.request, q.identity, q.repositoryPolicy, q.registryPolicy);
    }

    /** Parsing and validating an identity policy (three statements, a condition, a policy variable). */
    @Benchmark
    public PolicyDocument parse() {
        return PolicyDocument.parse(policyText);
    }
}
