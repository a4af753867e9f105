package io.wharf.server.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.memory.InMemoryMetadataStore;
import io.wharf.core.signature.SignaturePolicy;
import io.wharf.core.spi.WebhookIndex.Subscription;
import io.wharf.core.webhook.InvalidWebhookException;
import io.wharf.core.webhook.WebhookService;
import io.wharf.server.signing.SigstoreVerifier;
import io.wharf.server.webhook.WebhookWiring;
import java.time.Clock;

/**
 * Fuzz targets of Wharf's own API bodies (docs/security.md#fuzzing): a webhook's POST/PATCH body, parsed and then
 * created as a subscription, and a repository's signature policy (PUT). Each yields a value or the API's
 * INVALID_PARAMETER refusal; anything else is a bug. Seeds: {@code WharfApiFuzzTestInputs/<target>/}.
 */
class WharfApiFuzzTest {
    private static final WebhookService WEBHOOKS = new WebhookService(new InMemoryMetadataStore().webhooks(),
            WebhookWiring.DETAIL_TYPES, "us-east-1", Clock.systemUTC(), () -> { });
    private static final SigstoreVerifier VERIFIER = new SigstoreVerifier();

    @FuzzTest
    void webhookBodies(byte[] input) {
        try {
            WebhookBody body = WebhookBody.parse(input);
            body.hasSecret();
            Subscription s = WEBHOOKS.create("123456789012", body.spec(), body.secret());
            assertThat(WEBHOOKS.find("123456789012", s.id())).isPresent();
            WEBHOOKS.index().deleteSubscription(s.id()); // keeps the index small over millions of runs
        } catch (ApiProblem | InvalidWebhookException refused) {
            // INVALID_PARAMETER
        }
    }

    /** A policy that parses writes JSON that parses again to the same keys. */
    @FuzzTest
    void signaturePolicies(byte[] input) {
        try {
            SignaturePolicy policy = SignaturePolicy.parse(new String(input, UTF_8), VERIFIER);
            assertThat(SignaturePolicy.parse(policy.toJson(), VERIFIER).toJson()).isEqualTo(policy.toJson());
        } catch (ParameterInvalidException refused) {
            // INVALID_PARAMETER
        }
    }
}
