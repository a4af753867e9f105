package io.wharf.server.pullthrough;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.remote.RemoteRegistries;
import io.wharf.core.secret.UpstreamSecret;
import io.wharf.server.config.WharfConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.CreatePullThroughCacheRuleResponse;
import software.amazon.awssdk.services.ecr.model.DescribePullThroughCacheRulesResponse;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.PullThroughCacheRule;
import software.amazon.awssdk.services.ecr.model.UpdatePullThroughCacheRuleResponse;

/** The five rule operations through the AWS SDK's EcrClient against the real wiring with IAM on. */
class PullThroughRulesApiTest {
    private static final String SECRET_NAME = "ecr-pullthroughcache/hub";

    @TempDir
    Path data;
    private WharfNode node;
    private EcrClient ecr;
    private String arnPrefix;

    @BeforeEach
    void start() throws Exception {
        RemoteRegistries unreachable = (endpoint, credentials, headers) -> {
            throw new IllegalStateException("no upstream is reached by these tests");
        };
        node = new WharfNode(data, true, unreachable, c -> c.withPullThrough(
                new WharfConfig.PullThrough(Duration.ofHours(24), Duration.ofSeconds(5), 3, Duration.ZERO)));
        node.secrets.put(SECRET_NAME, new UpstreamSecret("user", "token"));
        ecr = node.root();
        arnPrefix = "arn:aws:secretsmanager:" + node.config.region() + ":" + node.config.account() + ":secret:";
    }

    @AfterEach
    void stop() {
        ecr.close();
        node.close();
    }

    @Test
    void aRuleIsCreatedDescribedUpdatedAndDeleted() {
        Instant before = Instant.now().minusSeconds(1);
        CreatePullThroughCacheRuleResponse created = ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("hub")
                .upstreamRegistryUrl("registry-1.docker.io").credentialArn(arnPrefix + SECRET_NAME));
        assertThat(created.ecrRepositoryPrefix()).isEqualTo("hub");
        assertThat(created.upstreamRegistryAsString()).isEqualTo("docker-hub");
        assertThat(created.registryId()).isEqualTo(node.config.account());
        // not given, not returned (maps like ROOT): Terraform's provider would otherwise re-plan the rule forever
        assertThat(created.upstreamRepositoryPrefix()).isNull();
        assertThat(created.createdAt()).isAfter(before);

        PullThroughCacheRule rule = ecr.describePullThroughCacheRules(b -> b.ecrRepositoryPrefixes("hub"))
                .pullThroughCacheRules().getFirst();
        assertThat(rule.upstreamRegistryUrl()).isEqualTo("registry-1.docker.io");
        assertThat(rule.credentialArn()).isEqualTo(arnPrefix + SECRET_NAME);

        node.secrets.put("ecr-pullthroughcache/other", new UpstreamSecret("u2", "t2"));
        UpdatePullThroughCacheRuleResponse updated = ecr.updatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("hub")
                .credentialArn(arnPrefix + "ecr-pullthroughcache/other-AbCdEf"));
        assertThat(updated.credentialArn()).as("a Secrets Manager suffix finds the secret by its name")
                .endsWith("other-AbCdEf");
        assertThat(updated.updatedAt()).isAfterOrEqualTo(created.createdAt());

        assertThat(ecr.deletePullThroughCacheRule(b -> b.ecrRepositoryPrefix("hub")).upstreamRegistryUrl())
                .isEqualTo("registry-1.docker.io");
        assertThat(ecr.describePullThroughCacheRules(b -> { }).pullThroughCacheRules()).isEmpty();
        assertError(() -> ecr.deletePullThroughCacheRule(b -> b.ecrRepositoryPrefix("hub")),
                "PullThroughCacheRuleNotFoundException");
    }

    @Test
    void anyRegistryUrlIsAcceptedAndItsUpstreamNameDerived() {
        ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("local").upstreamRegistryUrl("http://127.0.0.1:5000"));
        ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("quay").upstreamRegistryUrl("quay.io"));
        ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("other-wharf").upstreamRegistryUrl("127.0.0.1:6000")
                .upstreamRegistry("ecr").upstreamRepositoryPrefix("team"));
        List<PullThroughCacheRule> rules = ecr.describePullThroughCacheRules(b -> { }).pullThroughCacheRules();
        assertThat(rules).extracting(PullThroughCacheRule::ecrRepositoryPrefix).containsExactly("local", "other-wharf", "quay");
        assertThat(rules).extracting(PullThroughCacheRule::upstreamRegistryAsString).containsExactly("oci", "ecr", "quay");
        assertThat(rules.get(1).upstreamRepositoryPrefix()).isEqualTo("team");
    }

    @Test
    void badRulesAreRefusedInEcrsShapes() {
        assertError(() -> ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("Bad_Prefix").upstreamRegistryUrl("quay.io")),
                "ValidationException");
        assertError(() -> ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("x").upstreamRegistryUrl("quay.io")),
                "ValidationException");
        assertError(() -> ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("q").upstreamRegistryUrl("ftp://quay.io")),
                "ValidationException");
        assertError(() -> ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("qq").upstreamRegistryUrl("quay.io/some/path")),
                "ValidationException");
        assertError(() -> ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("qq").upstreamRegistryUrl("quay.io")
                .upstreamRegistry("nexus")), "UnsupportedUpstreamRegistryException");
        assertError(() -> ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("qq").upstreamRegistryUrl("quay.io")
                .credentialArn(arnPrefix + "ecr-pullthroughcache/missing")), "SecretNotFoundException");
        assertError(() -> ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("qq").upstreamRegistryUrl("quay.io")
                .credentialArn(arnPrefix.replace(node.config.account(), "111111111111") + SECRET_NAME)), "ValidationException");
        assertError(() -> ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("qq").upstreamRegistryUrl("quay.io")
                .credentialArn(arnPrefix + "other/hub")), "ValidationException");
        assertError(() -> ecr.describePullThroughCacheRules(b -> b.ecrRepositoryPrefixes("nope")),
                "PullThroughCacheRuleNotFoundException");
        assertError(() -> ecr.updatePullThroughCacheRule(b -> b.ecrRepositoryPrefix("nope").credentialArn(arnPrefix + SECRET_NAME)),
                "PullThroughCacheRuleNotFoundException");
        assertThat(ecr.describePullThroughCacheRules(b -> { }).pullThroughCacheRules()).as("nothing half-created").isEmpty();
    }

    @Test
    void aPrefixIsTakenOnceAndTheAccountsQuotaKept() {
        ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("a1").upstreamRegistryUrl("quay.io"));
        assertError(() -> ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("a1").upstreamRegistryUrl("ghcr.io")),
                "PullThroughCacheRuleAlreadyExistsException");
        ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("a2").upstreamRegistryUrl("quay.io"));
        ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("ROOT").upstreamRegistryUrl("quay.io"));
        assertError(() -> ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("a4").upstreamRegistryUrl("quay.io")),
                "LimitExceededException");
    }

    @Test
    void describePages() {
        for (String p : List.of("p1", "p2", "p3")) {
            ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix(p).upstreamRegistryUrl("quay.io"));
        }
        DescribePullThroughCacheRulesResponse first = ecr.describePullThroughCacheRules(b -> b.maxResults(2));
        assertThat(first.pullThroughCacheRules()).extracting(PullThroughCacheRule::ecrRepositoryPrefix).containsExactly("p1", "p2");
        DescribePullThroughCacheRulesResponse second = ecr.describePullThroughCacheRules(b -> b.maxResults(2)
                .nextToken(first.nextToken()));
        assertThat(second.pullThroughCacheRules()).extracting(PullThroughCacheRule::ecrRepositoryPrefix).containsExactly("p3");
        assertThat(second.nextToken()).isNull();
        assertThat(ecr.describePullThroughCacheRulesPaginator(b -> b.maxResults(1)).pullThroughCacheRules())
                .hasSize(3);
    }

    @Test
    void rulesNeedTheirOwnIamActions() throws Exception {
        String[] key = node.user("reader", """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:DescribePullThroughCacheRules","Resource":"*"}]}""");
        ecr.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("quay").upstreamRegistryUrl("quay.io"));
        try (EcrClient reader = node.ecr(key[0], key[1])) {
            assertThat(reader.describePullThroughCacheRules(b -> { }).pullThroughCacheRules()).hasSize(1);
            assertError(() -> reader.deletePullThroughCacheRule(b -> b.ecrRepositoryPrefix("quay")), "AccessDeniedException");
            assertError(() -> reader.createPullThroughCacheRule(b -> b.ecrRepositoryPrefix("q2").upstreamRegistryUrl("quay.io")),
                    "AccessDeniedException");
        }
    }

    private static void assertError(Runnable call, String code) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(EcrException.class,
                e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code));
    }
}
