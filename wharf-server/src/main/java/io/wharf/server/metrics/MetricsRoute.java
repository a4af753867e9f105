package io.wharf.server.metrics;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code /metrics} on the API port: a wrapper that answers that one path and hands everything else to the API, as
 * the probes' handler does: one path comparison before the API, nothing more.
 */
public final class MetricsRoute extends Handler.Wrapper {
    private final MetricsEndpoint endpoint;

    public MetricsRoute(MetricsEndpoint endpoint, Handler api) {
        super(api);
        this.endpoint = endpoint;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (MetricsEndpoint.PATH.equals(request.getHttpURI().getPath())) {
            return endpoint.handle(request, response, callback);
        }
        return super.handle(request, response, callback);
    }
}
