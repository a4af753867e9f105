package io.wharf.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wharf.core.webhook.WebhookSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code webhooks.*}: defaults, environment variables, and values refused. */
class WebhookConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        WharfConfig.Webhooks w = WharfConfig.defaults().webhooks();
        assertThat(w.enabled()).isTrue();
        assertThat(w.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(w.sender()).isEqualTo(WebhookSettings.DEFAULTS);
    }

    @Test
    void environmentVariablesSetEveryKey() {
        WharfConfig.Webhooks w = ConfigLoader.load(null, Map.of("WHARF_WEBHOOKS_ENABLED", "false",
                "WHARF_WEBHOOKS_TIMEOUT", "PT3S", "WHARF_WEBHOOKS_INITIAL_BACKOFF", "PT1S", "WHARF_WEBHOOKS_MAX_BACKOFF", "PT1M",
                "WHARF_WEBHOOKS_MAX_ATTEMPTS", "4", "WHARF_WEBHOOKS_CONCURRENCY", "2",
                "WHARF_WEBHOOKS_MAX_IN_FLIGHT_PER_SUBSCRIPTION", "1", "WHARF_WEBHOOKS_RETENTION", "P1D",
                "WHARF_WEBHOOKS_INTERVAL", "PT5S", "WHARF_WEBHOOKS_FIRST_ATTEMPT_TIMEOUT", "PT0.5S"), Map.of()).config().webhooks();
        assertThat(w).isEqualTo(new WharfConfig.Webhooks(false, Duration.ofSeconds(5), new WebhookSettings(Duration.ofSeconds(3),
                Duration.ofSeconds(1), Duration.ofMinutes(1), 4, 2, 1, Duration.ofDays(1), Duration.ofMillis(500))));
    }

    @Test
    void theFirstAttemptsTimeoutIsTwoSecondsOrTheTimeoutWhenShorterAndNeverLonger() {
        assertThat(ConfigLoader.load(null, Map.of("WHARF_WEBHOOKS_TIMEOUT", "PT1S"), Map.of()).config().webhooks().sender()
                .firstTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(WharfConfig.defaults().webhooks().sender().firstTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_WEBHOOKS_TIMEOUT", "PT3S",
                "WHARF_WEBHOOKS_FIRST_ATTEMPT_TIMEOUT", "PT4S"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("webhooks.first-attempt-timeout");
    }

    @Test
    void badValuesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_WEBHOOKS_MAX_ATTEMPTS", "0"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("webhooks.max-attempts");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_WEBHOOKS_TIMEOUT", "PT0S"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("webhooks.timeout");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("WHARF_WEBHOOKS_INITIAL_BACKOFF", "PT1M",
                "WHARF_WEBHOOKS_MAX_BACKOFF", "PT10S"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("webhooks.max-backoff");
    }
}
