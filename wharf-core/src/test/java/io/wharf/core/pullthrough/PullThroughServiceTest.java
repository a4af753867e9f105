package io.wharf.core.pullthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.model.RepositoryName;
import io.wharf.core.model.Tag;
import io.wharf.core.remote.RemoteRegistries;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.PullThroughIndex;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Routing of repositories to rules, and the rules cache that keeps the pull path of repositories outside every rule
 * free of database reads (the in-memory index, counted by a pass-through wrapper).
 */
class PullThroughServiceTest {
    private static final String ACCOUNT = "123456789012";
    private static final RemoteRegistries NONE = (e, c, h) -> {
        throw new IllegalStateException("not reached");
    };

    private final MutableClock clock = new MutableClock();
    private final CountingIndex index = new CountingIndex(new InMemoryMetadataStore().pullThrough());
    private final PullThroughService service = new PullThroughService(index, NONE, (a, n) -> Optional.empty(),
            new PullThroughSettings(Duration.ofHours(24), Duration.ofSeconds(5), 50, Duration.ZERO, "us-east-1"), clock);

    private static RepoKey key(String name) {
        return new RepoKey(ACCOUNT, new RepositoryName(name));
    }

    private void rule(String prefix, String upstreamPrefix) {
        service.create(ACCOUNT, new RuleRequest(prefix, "quay.io", null, null, null, upstreamPrefix));
    }

    @Test
    void theLongestPrefixWinsAndRootComesLast() {
        rule("ROOT", null);
        rule("hub", null);
        rule("hub/library", "mirror");
        assertThat(service.route(key("hub/library/alpine")).orElseThrow())
                .satisfies(r -> assertThat(r.rule().prefix()).isEqualTo("hub/library"))
                .satisfies(r -> assertThat(r.upstreamRepository()).isEqualTo("mirror/alpine"));
        assertThat(service.route(key("hub/bitnami/redis")).orElseThrow().upstreamRepository()).isEqualTo("bitnami/redis");
        assertThat(service.route(key("hubx/app")).orElseThrow().rule().prefix()).isEqualTo("ROOT");
        assertThat(service.route(key("hubx/app")).orElseThrow().upstreamRepository()).isEqualTo("hubx/app");
        assertThat(service.route(new RepoKey("210987654321", new RepositoryName("hub/app")))).as("per account").isEmpty();
    }

    @Test
    void aPrefixCoversOnlyWholePathComponents() {
        rule("hub", null);
        assertThat(service.route(key("hub"))).isEmpty();
        assertThat(service.route(key("hubble/app"))).isEmpty();
        assertThat(service.route(key("hub/app"))).isPresent();
    }

    @Test
    void pullsReadTheRulesAtMostOncePerCacheInterval() {
        rule("hub", null);
        int before = index.loads.get();
        for (int i = 0; i < 1000; i++) {
            assertThat(service.route(key("team/app" + i))).isEmpty();
            assertThat(service.route(key("hub/app" + i))).isPresent();
        }
        assertThat(index.loads.get() - before).isEqualTo(1);

        index.deleteRule(ACCOUNT, "hub"); // another node deleted it
        assertThat(service.route(key("hub/app"))).as("within the interval: the cached copy").isPresent();
        clock.advance(Duration.ofSeconds(6));
        assertThat(service.route(key("hub/app"))).as("after it: read again").isEmpty();
        assertThat(index.loads.get() - before).isEqualTo(2);
    }

    @Test
    void thisNodesOwnChangesApplyAtOnce() {
        assertThat(service.route(key("hub/app"))).isEmpty();
        rule("hub", null);
        assertThat(service.route(key("hub/app"))).isPresent();
        service.delete(ACCOUNT, "hub");
        assertThat(service.route(key("hub/app"))).isEmpty();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** Passes every call to the real index, counting the loads of all rules. */
    private record CountingIndex(PullThroughIndex real, AtomicInteger loads) implements PullThroughIndex {
        CountingIndex(PullThroughIndex real) {
            this(real, new AtomicInteger());
        }

        @Override
        public CreateOutcome createRule(Rule rule, int maxRules) {
            return real.createRule(rule, maxRules);
        }

        @Override
        public Optional<Rule> findRule(String account, String prefix) {
            return real.findRule(account, prefix);
        }

        @Override
        public List<Rule> rules(String account) {
            return real.rules(account);
        }

        @Override
        public List<Rule> allRules() {
            loads.incrementAndGet();
            return real.allRules();
        }

        @Override
        public Optional<Rule> updateRule(String account, String prefix, String credentialArn, String customRoleArn, Instant now) {
            return real.updateRule(account, prefix, credentialArn, customRoleArn, now);
        }

        @Override
        public Optional<Rule> deleteRule(String account, String prefix) {
            return real.deleteRule(account, prefix);
        }

        @Override
        public Optional<Instant> tagCheckedAt(String account, RepositoryName repository, Tag tag) {
            return real.tagCheckedAt(account, repository, tag);
        }

        @Override
        public void tagChecked(String account, RepositoryName repository, Tag tag, Instant at) {
            real.tagChecked(account, repository, tag, at);
        }
    }
}
