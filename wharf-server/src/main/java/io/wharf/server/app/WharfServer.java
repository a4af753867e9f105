package io.wharf.server.app;

import io.wharf.server.config.WharfConfig;
import io.wharf.server.config.WharfConfig.Tls;
import io.wharf.server.http.MinimumRequestRate;
import io.wharf.server.http.PlainHttpConnectionFactory;
import io.wharf.server.oci.OciErrorHandler;
import io.wharf.server.observe.RequestObserver;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The embedded Jetty server: one connector (HTTP/1.1, optionally TLS), handlers run on virtual
 * threads so endpoint code can simply block, probes in front of the API, graceful stop.
 */
public final class WharfServer {
    /** Platform threads only run selectors, acceptors and non-blocking tasks; requests get virtual threads. */
    private static final int MAX_PLATFORM_THREADS = 32;
    private static final int MIN_PLATFORM_THREADS = 4;
    /** Large enough for registry bearer tokens and ECR's long Basic credentials. */
    private static final int REQUEST_HEADER_BYTES = 16 * 1024;
    /**
     * Socket reads per connection: an upload arrives in chunks of at most this size, and each chunk is one
     * read, one hash update and one file write. Jetty's default of 8 KiB made a 1 GiB push 131,072 of each.
     */
    private static final int INPUT_BUFFER_BYTES = 128 * 1024;
    /** Idle pooled buffers kept at most (beyond it, released buffers go to the GC). */
    private static final long POOLED_DIRECT_BYTES = 16L << 20;
    private static final long POOLED_HEAP_BYTES = 4L << 20;

    private final Server server;
    private final ServerConnector connector;
    private final boolean tls;
    private volatile boolean stopping;
    private volatile int boundPort = -1;

    /**
     * @param api   handles everything but the probes; normally the OCI handler
     * @param ready readiness of the storage behind {@code api}, asked on each {@code /readyz}
     */
    public WharfServer(WharfConfig config, Handler api, BooleanSupplier ready) {
        this(config, api, ready, List.of());
    }

    /** @param observers told about each finished request after the access log (metrics, audit, usage) */
    public WharfServer(WharfConfig config, Handler api, BooleanSupplier ready, List<RequestObserver> observers) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_PLATFORM_THREADS, MIN_PLATFORM_THREADS);
        threads.setName("jetty");
        threads.setVirtualThreadsExecutor(
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("req-", 0).factory()));
        this.server = new Server(threads, null, bufferPool());
        this.tls = config.tls().isPresent();
        this.connector = connector(server, config);
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new MinimumRequestRate(
                new ProbeHandler(api, () -> !stopping && ready.getAsBoolean()),
                config.limits().minRequestDataRate(), config.limits().idleTimeout().toNanos())));
        server.setRequestLog(new AccessLog(observers));
        server.setErrorHandler(new OciErrorHandler()); // errors raised before routing, as OCI JSON
        server.setStopTimeout(config.shutdownTimeout().toMillis());
        server.setStopAtShutdown(false); // Application's hook stops the server, then storage, in that order
    }

    /**
     * Jetty's default pool only keeps buffers up to 64 KiB: every 128 KiB read buffer would be a fresh
     * direct allocation, freed only by GC (a manifest GET load then peaked at 900 MiB resident). This
     * pool keeps them, and at most {@link #POOLED_DIRECT_BYTES} of idle ones.
     */
    private static ArrayByteBufferPool bufferPool() {
        return new ArrayByteBufferPool(0, 4096, INPUT_BUFFER_BYTES, Integer.MAX_VALUE, POOLED_HEAP_BYTES,
                POOLED_DIRECT_BYTES);
    }

    private static ServerConnector connector(Server server, WharfConfig config) {
        HttpConfiguration http = httpConfiguration();
        ServerConnector connector = config.tls()
                .map(tls -> {
                    http.addCustomizer(secureRequestCustomizer());
                    return new ServerConnector(server,
                            new SslConnectionFactory(sslContextFactory(tls), HttpVersion.HTTP_1_1.asString()),
                            new HttpConnectionFactory(http));
                })
                .orElseGet(() -> new ServerConnector(server, new PlainHttpConnectionFactory(http,
                        OciErrorHandler.tlsOnPlainPort())));
        connector.setHost(config.listen().host());
        connector.setPort(config.listen().port());
        connector.setIdleTimeout(config.limits().idleTimeout().toMillis());
        return connector;
    }

    private static HttpConfiguration httpConfiguration() {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(true);
        http.setRequestHeaderSize(REQUEST_HEADER_BYTES);
        http.setInputBufferSize(INPUT_BUFFER_BYTES);
        // Let "%2e", "%2f", ";", "//" and ".." inside the path through: the OCI handler rejects them with
        // OCI error JSON that clients can read, instead of Jetty answering with its own 400 page.
        // (Jetty's URI parser still refuses a ".." above the root and "%00" itself, whatever the mode.)
        http.setUriCompliance(UriCompliance.LEGACY);
        return http;
    }

    /** PEM files turned into an in-memory key store (see {@link PemKeyStore}). */
    private static SslContextFactory.Server sslContextFactory(Tls tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(PemKeyStore.load(tls.certFile(), tls.keyFile()));
        ssl.setKeyStorePassword(PemKeyStore.PASSWORD);
        ssl.setKeyManagerPassword(PemKeyStore.PASSWORD);
        ssl.setCertAlias(PemKeyStore.ALIAS);
        return ssl;
    }

    private static SecureRequestCustomizer secureRequestCustomizer() {
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // One certificate serves every name: a client reaching us by IP or another DNS name must not get 400 "Invalid SNI".
        secure.setSniHostCheck(false);
        return secure;
    }


    /** Binds the port and starts serving; on failure nothing is left running. */
    public void start() throws Exception {
        try {
            server.start();
            boundPort = connector.getLocalPort();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
    }

    /**
     * Stops accepting connections, lets in-flight requests finish for up to the shutdown timeout,
     * then closes everything. {@code /readyz} answers 503 from the first moment.
     */
    public void stop() throws Exception {
        stopping = true;
        server.stop();
    }

    public boolean isStopping() {
        return stopping;
    }

    /** The port bound by {@link #start()} (differs from the configured one when that was 0); kept after stop. */
    public int port() {
        return boundPort;
    }

    /** {@code http://host:port} or {@code https://host:port} of the connector. */
    public URI uri() {
        String host = connector.getHost();
        return URI.create((tls ? "https" : "http") + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host)
                + ":" + port());
    }
}
