package io.wharf.server.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.event.EventSubscriber;
import io.wharf.core.event.StoredEvent;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each event as one line of EventBridge-shaped JSON at INFO to the {@code io.wharf.events} logger
 * ({@code events.log: true}): the shape webhooks will send, readable with any log shipper meanwhile.
 */
public final class LogSubscriber implements EventSubscriber {
    static final String LOGGER = "io.wharf.events";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private final EventBridgeShape shape;

    public LogSubscriber(EventBridgeShape shape) {
        this.shape = shape;
    }

    @Override
    public String name() {
        return "log";
    }

    @Override
    public void handle(List<StoredEvent> batch) {
        for (StoredEvent e : batch) {
            for (ObjectNode line : shape.envelopes(e)) {
                LOG.info("{}", line);
            }
        }
    }
}
