package io.wharf.core.webhook;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final byte[] BODY = "{\"id\":\"1\"}".getBytes(UTF_8);

    @Test
    void theHeaderIsTheHmacOfTimestampDotBody() {
        // computed independently (Python's hmac): HMAC-SHA256("key", "1700000000.{"id":"1"}")
        String header = WebhookSignature.header("key", 1_700_000_000L, BODY);
        assertThat(header).isEqualTo("t=1700000000,v1=9e040cb90cefc5a04ab9a9848a74e2ff0489b4d8837b38d54555cb67e4f8e76e");
        assertThat(WebhookSignature.verify("key", header, BODY)).isTrue();
        assertThat(WebhookSignature.timestamp(header)).isEqualTo(1_700_000_000L);
    }

    @Test
    void aChangedBodySecretOrTimestampDoesNotVerify() {
        String header = WebhookSignature.header("key", 1_700_000_000L, BODY);
        assertThat(WebhookSignature.verify("other", header, BODY)).isFalse();
        assertThat(WebhookSignature.verify("key", header, "{\"id\":\"2\"}".getBytes(UTF_8))).isFalse();
        assertThat(WebhookSignature.verify("key", header.replace("t=1700000000", "t=1700000001"), BODY)).isFalse();
        assertThat(WebhookSignature.verify("key", null, BODY)).isFalse();
        assertThat(WebhookSignature.verify("key", "t=1,v1=zz", BODY)).isFalse();
        assertThat(WebhookSignature.verify("key", "v1=" + "0".repeat(64), BODY)).isFalse();
    }

    @Test
    void signaturesMadeAtOnceWithManySecretsEachMatchTheirOwn() throws Exception {
        // more secrets than the keyed prototypes hold, each signed from several threads at once
        List<Callable<Boolean>> signings = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String secret = "secret-" + (i % 300);
            byte[] body = ("{\"n\":" + i + "}").getBytes(UTF_8);
            signings.add(() -> WebhookSignature.header(secret, 1_700_000_000L + 1, body).equals(expected(secret, body)));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Boolean> f : pool.invokeAll(signings)) {
                assertThat(f.get()).isTrue();
            }
        }
    }

    /** The header computed with a MAC of its own, keyed afresh. */
    private static String expected(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(UTF_8), "HmacSHA256"));
        mac.update("1700000001.".getBytes(UTF_8));
        return "t=1700000001,v1=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void backoffDoublesUpToItsCap() {
        WebhookSettings s = new WebhookSettings(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofMinutes(15), 10, 16,
                4, Duration.ofDays(7));
        assertThat(s.backoff(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.backoff(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.backoff(5)).isEqualTo(Duration.ofSeconds(80));
        assertThat(s.backoff(9)).isEqualTo(Duration.ofMinutes(15));
        assertThat(s.backoff(1000)).isEqualTo(Duration.ofMinutes(15));
        assertThat(s).isEqualTo(WebhookSettings.DEFAULTS);
    }
}
