package io.wharf.server.app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the orchestrator's probes before any API routing: {@code /healthz} (the process serves
 * HTTP) and {@code /readyz} (it can serve requests now: storage answers and it is not stopping).
 * Everything else goes to the wrapped API handler.
 */
final class ProbeHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeHandler.class);
    static final String HEALTH = "/healthz";
    static final String READY = "/readyz";

    private final BooleanSupplier ready;

    ProbeHandler(Handler api, BooleanSupplier ready) {
        super(api);
        this.ready = ready;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = request.getHttpURI().getPath();
        if (HEALTH.equals(path)) {
            answer(request, response, callback, HttpStatus.OK_200, "ok");
            return true;
        }
        if (READY.equals(path)) {
            boolean ok = isReady();
            answer(request, response, callback, ok ? HttpStatus.OK_200 : HttpStatus.SERVICE_UNAVAILABLE_503,
                    ok ? "ok" : "not ready");
            return true;
        }
        return super.handle(request, response, callback);
    }

    private boolean isReady() {
        try {
            return ready.getAsBoolean();
        } catch (RuntimeException e) {
            LOG.warn("readiness check failed", e);
            return false;
        }
    }

    private static void answer(Request request, Response response, Callback callback, int status, String text) {
        String method = request.getMethod();
        boolean head = HttpMethod.HEAD.is(method);
        if (!head && !HttpMethod.GET.is(method)) {
            response.setStatus(HttpStatus.METHOD_NOT_ALLOWED_405);
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            response.write(true, BufferUtil.EMPTY_BUFFER, callback);
            return;
        }
        byte[] body = text.getBytes(StandardCharsets.US_ASCII);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body), callback);
    }
}
