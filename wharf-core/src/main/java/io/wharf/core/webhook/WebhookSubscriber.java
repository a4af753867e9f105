package io.wharf.core.webhook;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.event.EventSubscriber;
import io.wharf.core.event.StoredEvent;
import io.wharf.core.spi.WebhookIndex;
import io.wharf.core.spi.WebhookIndex.NewDelivery;
import io.wharf.core.spi.WebhookIndex.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * {@value #NAME}: for each event, one delivery row per matching subscription, written in one transaction per batch
 * (fast: sending is the job's), then wakes the job so latency is not its interval. Each delivery's envelope gets an
 * {@code id} derived from the event's and the subscription's, so it is stable across redeliveries and retries and a
 * receiver can drop duplicates; a redelivered batch finds its rows queued already and adds none.
 */
public final class WebhookSubscriber implements EventSubscriber {
    public static final String NAME = "webhooks";

    private final WebhookIndex index;
    private final Function<StoredEvent, List<ObjectNode>> envelopes;
    private final Clock clock;
    private final Runnable wake;

    /** @param envelopes the EventBridge envelopes of an event (zero or more) */
    public WebhookSubscriber(WebhookIndex index, Function<StoredEvent, List<ObjectNode>> envelopes, Clock clock, Runnable wake) {
        this.index = index;
        this.envelopes = envelopes;
        this.clock = clock;
        this.wake = wake;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void handle(List<StoredEvent> batch) {
        List<Subscription> subscriptions = index.subscriptions(null).stream().filter(Subscription::enabled).toList();
        if (subscriptions.isEmpty()) {
            return;
        }
        List<NewDelivery> queue = new ArrayList<>();
        for (StoredEvent stored : batch) {
            String account = stored.event().account();
            String repository = stored.event().repository().value();
            for (ObjectNode envelope : envelopes.apply(stored)) {
                String detailType = envelope.path("detail-type").asText();
                for (Subscription s : subscriptions) {
                    if (WebhookService.matches(s, account, repository, detailType, stored.event().type())) {
                        queue.add(delivery(s, envelope, repository));
                    }
                }
            }
        }
        if (!queue.isEmpty() && index.enqueue(queue, clock.instant()) > 0) {
            wake.run();
        }
    }

    /** The envelope as this subscription receives it: its own stable id. */
    static NewDelivery delivery(Subscription s, ObjectNode envelope, String repository) {
        ObjectNode copy = envelope.deepCopy();
        String id = eventId(envelope.path("id").asText(), s.id());
        copy.put("id", id);
        return new NewDelivery(s.id(), id, envelope.path("detail-type").asText(), repository, copy.toString());
    }

    public static String eventId(String envelopeId, String subscriptionId) {
        return UUID.nameUUIDFromBytes((envelopeId + "/" + subscriptionId).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
