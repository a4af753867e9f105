package io.wharf.server.app;

import io.wharf.server.observe.RequestFacts;
import io.wharf.server.observe.RequestObserver;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.NanoTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One line per finished request on logger {@code wharf.access}:
 * {@code GET /v2/library/alpine/manifests/3 200 1472B 3ms 10.0.0.7}. Jetty calls this after the
 * response completed; the cost when the logger is off is one level check. Then the {@link RequestObserver}s are told,
 * each in turn; one that throws is logged and does not keep the others from it.
 */
final class AccessLog implements RequestLog {
    static final String LOGGER = "wharf.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    /** Jetty's name for requests it could not parse; clients probing for TLS send one before each operation. */
    private static final String UNPARSABLE = "/badMessage";

    private final List<RequestObserver> observers;

    AccessLog(List<RequestObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    @Override
    public void log(Request request, Response response) {
        line(request, response);
        if (observers.isEmpty()) {
            return;
        }
        RequestFacts facts = RequestFacts.of(request);
        for (RequestObserver o : observers) {
            try {
                o.completed(request, response, facts);
            } catch (RuntimeException e) {
                LOG.warn("request observer {} failed", o.getClass().getName(), e);
            }
        }
    }

    private void line(Request request, Response response) {
        boolean probe = UNPARSABLE.equals(request.getHttpURI().getPath());
        if (probe ? !LOG.isDebugEnabled() : !LOG.isInfoEnabled()) {
            return;
        }
        LOG.atLevel(probe ? Level.DEBUG : Level.INFO).log("{} {} {} {}B {}ms {}", request.getMethod(),
                request.getHttpURI().getPath(), response.getStatus(), Response.getContentBytesWritten(response),
                NanoTime.millisSince(request.getBeginNanoTime()), Request.getRemoteAddr(request));
    }
}
