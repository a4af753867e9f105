package io.wharf.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.spi.PullThroughIndex.CreateOutcome;
import io.wharf.core.spi.PullThroughIndex.Rule;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link PullThroughIndex}; every backend runs it. */
public abstract class PullThroughIndexContract extends MetadataStoreFixture {
    private PullThroughIndex index;

    @BeforeEach
    void index() {
        index = store.pullThrough();
    }

    private static Rule rule(String account, String prefix, String credentialArn) {
        return new Rule(account, prefix, "https://registry-1.docker.io", "docker-hub", credentialArn, null, "ROOT",
                at(1), at(1));
    }

    @Test
    void aRuleIsCreatedOncePerPrefixAndAccount() {
        Rule hub = rule(ACCOUNT, "docker-hub", "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/hub");
        assertThat(index.createRule(hub, 50)).isEqualTo(CreateOutcome.CREATED);
        assertThat(index.createRule(rule(ACCOUNT, "docker-hub", null), 50)).isEqualTo(CreateOutcome.EXISTS);
        assertThat(index.createRule(rule(OTHER_ACCOUNT, "docker-hub", null), 50)).isEqualTo(CreateOutcome.CREATED);
        assertThat(index.findRule(ACCOUNT, "docker-hub")).contains(hub);
        assertThat(index.findRule(ACCOUNT, "quay")).isEmpty();
    }

    @Test
    void theAccountsLimitIsKept() {
        assertThat(index.createRule(rule(ACCOUNT, "a1", null), 2)).isEqualTo(CreateOutcome.CREATED);
        assertThat(index.createRule(rule(ACCOUNT, "a2", null), 2)).isEqualTo(CreateOutcome.CREATED);
        assertThat(index.createRule(rule(ACCOUNT, "a3", null), 2)).isEqualTo(CreateOutcome.LIMIT_EXCEEDED);
        assertThat(index.createRule(rule(OTHER_ACCOUNT, "a3", null), 2)).as("per account").isEqualTo(CreateOutcome.CREATED);
    }

    @Test
    void concurrentCreationsTakeTheLastSlotOnce() throws Exception {
        List<CreateOutcome> outcomes = concurrently(4, i -> () -> index.createRule(rule(ACCOUNT, "p" + i, null), 1));
        assertThat(outcomes).filteredOn(o -> o == CreateOutcome.CREATED).hasSize(1);
        assertThat(index.rules(ACCOUNT)).hasSize(1);
    }

    @Test
    void rulesAreListedPerAccountByPrefixAndAllTogether() {
        index.createRule(rule(ACCOUNT, "quay", null), 50);
        index.createRule(rule(ACCOUNT, "ecr-public", null), 50);
        index.createRule(rule(OTHER_ACCOUNT, "k8s", null), 50);
        assertThat(index.rules(ACCOUNT)).extracting(Rule::prefix).containsExactly("ecr-public", "quay");
        assertThat(index.rules("000000000000")).isEmpty();
        assertThat(index.allRules()).extracting(Rule::prefix).containsExactlyInAnyOrder("ecr-public", "quay", "k8s");
    }

    @Test
    void anUpdateChangesOnlyTheCredentialsAndTheTime() {
        index.createRule(rule(ACCOUNT, "hub", "arn:old"), 50);
        Rule updated = index.updateRule(ACCOUNT, "hub", "arn:new", "arn:role", at(9)).orElseThrow();
        assertThat(updated.credentialArn()).isEqualTo("arn:new");
        assertThat(updated.customRoleArn()).isEqualTo("arn:role");
        assertThat(updated.updatedAt()).isEqualTo(at(9));
        assertThat(updated.createdAt()).isEqualTo(at(1));
        assertThat(updated.upstreamRegistryUrl()).isEqualTo("https://registry-1.docker.io");
        assertThat(index.findRule(ACCOUNT, "hub")).contains(updated);
        assertThat(index.updateRule(ACCOUNT, "nope", null, null, at(9))).isEmpty();
        assertThat(index.updateRule(OTHER_ACCOUNT, "hub", null, null, at(9))).as("per account").isEmpty();
    }

    @Test
    void aDeleteReturnsTheRuleOnce() {
        Rule hub = rule(ACCOUNT, "hub", null);
        index.createRule(hub, 50);
        assertThat(index.deleteRule(ACCOUNT, "hub")).contains(hub);
        assertThat(index.deleteRule(ACCOUNT, "hub")).isEmpty();
        assertThat(index.findRule(ACCOUNT, "hub")).isEmpty();
        assertThat(index.createRule(hub, 1)).as("its slot is free again").isEqualTo(CreateOutcome.CREATED);
    }

    @Test
    void aTagsFreshnessIsRecordedAndMovesForward() {
        assertThat(index.tagCheckedAt(ACCOUNT, name("hub/library/alpine"), tag("3"))).isEmpty();
        index.tagChecked(ACCOUNT, name("hub/library/alpine"), tag("3"), at(5));
        index.tagChecked(ACCOUNT, name("hub/library/alpine"), tag("3"), at(7));
        assertThat(index.tagCheckedAt(ACCOUNT, name("hub/library/alpine"), tag("3"))).contains(at(7));
        assertThat(index.tagCheckedAt(ACCOUNT, name("hub/library/alpine"), tag("latest"))).isEmpty();
        assertThat(index.tagCheckedAt(OTHER_ACCOUNT, name("hub/library/alpine"), tag("3"))).isEmpty();
    }
}
