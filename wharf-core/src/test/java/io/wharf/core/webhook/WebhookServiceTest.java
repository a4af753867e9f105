package io.wharf.core.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.spi.WebhookIndex.Subscription;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebhookServiceTest {
    private static final String ACCOUNT = "123456789012";
    private final InMemoryMetadataStore store = new InMemoryMetadataStore();
    private final AtomicInteger wakes = new AtomicInteger();
    private final WebhookService service = new WebhookService(store.webhooks(), Set.of("ECR Image Action"), "us-east-1",
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), wakes::incrementAndGet);

    @Test
    void filtersMatchAccountRepositoryAndEventType() {
        Subscription s = service.create(ACCOUNT, new WebhookService.Spec("https://h.test/x", "team/*",
                List.of("ECR Image Action", "ImagePulled"), null), null);
        assertThat(WebhookService.matches(s, ACCOUNT, "team/app", "ECR Image Action", "ImagePushed")).isTrue();
        assertThat(WebhookService.matches(s, ACCOUNT, "team/a/b", "Wharf Image Action", "ImagePulled")).isTrue();
        assertThat(WebhookService.matches(s, ACCOUNT, "team", "ECR Image Action", "ImagePushed")).as("not under team/").isFalse();
        assertThat(WebhookService.matches(s, ACCOUNT, "teams/app", "ECR Image Action", "ImagePushed")).isFalse();
        assertThat(WebhookService.matches(s, "999999999999", "team/app", "ECR Image Action", "ImagePushed")).isFalse();
        assertThat(WebhookService.matches(s, ACCOUNT, "team/app", "Wharf Repository Action", "RepositoryCreated")).isFalse();

        Subscription exact = service.create(ACCOUNT, new WebhookService.Spec("http://h.test/", "app", List.of(), false), null);
        assertThat(WebhookService.matches(exact, ACCOUNT, "app", "ECR Image Action", "ImagePushed")).as("disabled").isFalse();
        Subscription on = service.update(ACCOUNT, exact.id(), new WebhookService.Spec(null, null, null, true)).orElseThrow();
        assertThat(on.repositoryFilter()).isEqualTo("app");
        assertThat(WebhookService.matches(on, ACCOUNT, "app", "Wharf Repository Action", "RepositoryDeleted")).isTrue();
        assertThat(WebhookService.matches(on, ACCOUNT, "app2", "ECR Image Action", "ImagePushed")).isFalse();
    }

    @Test
    void secretsAreGeneratedOrCheckedAndIdsAreRandom() {
        Subscription a = service.create(ACCOUNT, new WebhookService.Spec("http://h.test/", null, null, null), null);
        Subscription b = service.create(ACCOUNT, new WebhookService.Spec("http://h.test/", null, null, null), "0123456789abcdef");
        assertThat(a.secret()).matches("whsec_[0-9a-f]{64}");
        assertThat(b.secret()).isEqualTo("0123456789abcdef");
        assertThat(a.id()).matches("wh-[0-9a-f]{20}").isNotEqualTo(b.id());
        assertThat(service.find("999999999999", a.id())).as("another account's").isEmpty();
        assertThat(service.update("999999999999", a.id(), new WebhookService.Spec(null, null, null, false))).isEmpty();
    }

    @Test
    void invalidFieldsAreRefused() {
        assertThatThrownBy(() -> create("javascript:alert(1)", null, List.of())).hasMessageContaining("url");
        assertThatThrownBy(() -> create("http:///nohost", null, List.of())).hasMessageContaining("url");
        assertThatThrownBy(() -> create("http://h.test/" + "a".repeat(2048), null, List.of())).hasMessageContaining("2048");
        assertThatThrownBy(() -> create("http://h.test/", "Team/*", List.of())).hasMessageContaining("repository");
        assertThatThrownBy(() -> create("http://h.test/", "team/**", List.of())).hasMessageContaining("repository");
        assertThatThrownBy(() -> create("http://h.test/", null, List.of("Nope"))).hasMessageContaining("unknown event type");
        assertThat(create("http://h.test/", "*", List.of("ImageScanned")).repositoryFilter())
                .isNull();
        assertThat(store.webhooks().subscriptions(ACCOUNT)).hasSize(1);
    }

    @Test
    void aTestEventAndAReplayWakeTheSender() {
        Subscription s = create("http://h.test/", null, List.of("ImagePushed"));
        var d = service.sendTest(s);
        assertThat(d.detailType()).isEqualTo(WebhookService.TEST_DETAIL_TYPE);
        assertThat(d.body()).contains("\"detail-type\":\"Wharf Webhook Test\"").contains("\"region\":\"us-east-1\"")
                .contains("\"subscription-id\":\"" + s.id() + "\"");
        assertThat(wakes.get()).isEqualTo(1);
        assertThat(service.replay(s, null)).as("nothing dead").isZero();
        assertThat(wakes.get()).isEqualTo(1);
    }

    private Subscription create(String url, String repository, List<String> types) {
        return service.create(ACCOUNT, new WebhookService.Spec(url, repository, types, null), null);
    }
}
