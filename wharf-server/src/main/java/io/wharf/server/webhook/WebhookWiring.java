package io.wharf.server.webhook;

import io.wharf.core.event.EventSubscriber;
import io.wharf.core.service.Registry;
import io.wharf.core.webhook.WebhookJob;
import io.wharf.core.webhook.WebhookRunner;
import io.wharf.core.webhook.WebhookService;
import io.wharf.core.webhook.WebhookSubscriber;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.events.EventBridgeShape;
import java.time.Clock;
import java.util.Set;

/** Builds the webhook pieces from the configuration: the service (API, CLI), the subscriber and the sender job. */
public final class WebhookWiring {
    /** The EventBridge detail-types Wharf sends (EventBridgeShape), which subscriptions may filter on. */
    public static final Set<String> DETAIL_TYPES = Set.of("ECR Image Action", "ECR Image Scan", "ECR Replication Action",
            "ECR Pull Through Cache Action", "Wharf Repository Action", "Wharf Image Action", "Wharf Quota Warning",
            io.wharf.server.events.EventBridgeShape.VISIBILITY_CHANGE,
            WebhookService.TEST_DETAIL_TYPE);

    private WebhookWiring() {
    }

    /** The service; its wake records a run request of the job, which a scheduler starts within its poll interval. */
    public static WebhookService service(WharfConfig config, Registry registry) {
        return new WebhookService(registry.metadata().webhooks(), DETAIL_TYPES, config.region(), Clock.systemUTC(),
                () -> registry.metadata().requestJobRun(WebhookJob.NAME, Clock.systemUTC().instant()));
    }

    public static WebhookJob job(WharfConfig config, Registry registry, String nodeId) {
        WharfConfig.Webhooks c = config.webhooks();
        return new WebhookJob(new WebhookRunner(registry.metadata().webhooks(), new HttpWebhookTransport(),
                c.sender(), nodeId, Clock.systemUTC()));
    }

    /** The {@value WebhookSubscriber#NAME} subscriber, which sends; {@code wake} starts the job now (for what it left to it). */
    public static EventSubscriber subscriber(WharfConfig config, Registry registry, Runnable wake) {
        EventBridgeShape shape = new EventBridgeShape(config.region());
        return new WebhookSubscriber(registry.metadata().webhooks(), shape::envelopes, new HttpWebhookTransport(),
                config.webhooks().sender(), Clock.systemUTC(), wake);
    }
}
