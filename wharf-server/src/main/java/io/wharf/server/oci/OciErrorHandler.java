package io.wharf.server.oci;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Renders the errors Jetty raises before any handler runs (a path that escapes the root, an
 * oversized header, an unknown route) as OCI error JSON instead of Jetty's HTML page.
 */
public final class OciErrorHandler extends ErrorHandler {

    /** The body answering a TLS hello on a plain-HTTP port, before any parsing ({@code PlainHttpConnectionFactory}). */
    public static String tlsOnPlainPort() {
        return OciErrors.body(OciError.UNSUPPORTED, "this port speaks plain HTTP, not TLS", null);
    }

    @Override
    protected void generateResponse(Request request, Response response, int status, String message, Throwable cause,
                                    Callback callback) {
        OciError error = switch (status) {
            case 400 -> OciError.NAME_INVALID; // before routing, a 400 is a request target Jetty could not resolve
            case 404 -> OciError.NAME_UNKNOWN;
            case 405 -> OciError.UNSUPPORTED;
            case 413, 414, 431 -> OciError.TOO_LARGE;
            default -> OciError.UNKNOWN;
        };
        byte[] body = OciErrors.body(error, message, null).getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
