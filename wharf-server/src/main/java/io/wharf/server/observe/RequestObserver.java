package io.wharf.server.observe;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;

/**
 * Told about each finished request after its response completed (Jetty's request log hook): metrics, the audit trail,
 * usage counters. Must be quick and must not throw or block on I/O: hand slow work to a queue.
 */
public interface RequestObserver {

    /**
     * @param facts what the handler learned, or null when no handler claimed the request (unparsable, a probe)
     */
    void completed(Request request, Response response, RequestFacts facts);
}
