package io.wharf.server.metrics;

import io.wharf.server.config.WharfConfig;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.DefaultHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The separate {@code metrics.listen} listener: plain HTTP serving {@code /metrics} only (404 elsewhere), on a few
 * threads of its own, so scrapes never queue behind API traffic and the port can be firewalled apart.
 */
public final class MetricsServer implements AutoCloseable {
    private static final int MAX_THREADS = 8;

    private final Server server;
    private final ServerConnector connector;

    public MetricsServer(WharfConfig.Listen listen, MetricsEndpoint endpoint) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2);
        threads.setName("metrics");
        this.server = new Server(threads);
        this.connector = new ServerConnector(server, 1, 1);
        connector.setHost(listen.host());
        connector.setPort(listen.port());
        server.addConnector(connector);
        server.setHandler(new Handler.Sequence(endpoint, new DefaultHandler(false, false)));
        server.setStopAtShutdown(false);
    }

    public void start() throws Exception {
        server.start();
    }

    /** The bound port (differs from the configured one when that was 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
