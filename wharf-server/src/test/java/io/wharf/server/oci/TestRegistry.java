package io.wharf.server.oci;

import io.wharf.core.spi.MetadataStore;
import io.wharf.storage.fs.FileSystemBlobStore;
import io.wharf.storage.fs.FileSystemUploadStore;
import io.wharf.storage.jdbc.JdbcMetadataStore;
import io.wharf.storage.jdbc.SqliteMetadataStore;
import io.wharf.storage.s3.S3Settings;
import io.wharf.storage.s3.S3Storage;
import io.wharf.core.service.Registry;
import io.wharf.core.service.Quotas;
import io.wharf.core.service.RegistryLimits;
import io.wharf.server.auth.Auth;
import io.wharf.server.auth.DisabledAuth;
import io.wharf.server.ecr.EcrHandler;
import io.wharf.server.ecr.EcrOperations;
import io.wharf.server.http.BodyBudget;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A real Jetty server on a loopback port with the OCI handler over the embedded default backends
 * (filesystem blobs, SQLite metadata) in a temporary data directory, plus an HTTP client.
 */
public final class TestRegistry implements AutoCloseable {
    public static final String ACCOUNT = "000000000000";
    public static final String REGION = "us-east-1";

    public final Registry registry;
    public final Path dataDir;
    private final MetadataStore meta;
    private final S3Storage s3Storage; // null: blobs in the data directory
    private final Server server;
    private final HttpClient client = HttpClient.newHttpClient();
    public final int port;
    private final Auth auth;
    private final boolean verifyBlobReads;
    private final BodyBudget manifestBudget = new BodyBudget(64 << 20);

    public TestRegistry() throws Exception {
        this(RegistryLimits.defaults());
    }

    public TestRegistry(RegistryLimits limits) throws Exception {
        this(limits, Quotas.defaults(), true);
    }

    /** Serves both APIs, as {@code wharf serve} does: ECR's {@code POST /} and {@code /v2/}, without authentication. */
    public TestRegistry(RegistryLimits limits, Quotas quotas, boolean createOnPush) throws Exception {
        this(limits, quotas, createOnPush, new DisabledAuth(ACCOUNT, Clock.systemUTC()));
    }

    public TestRegistry(RegistryLimits limits, Quotas quotas, boolean createOnPush, Auth auth) throws Exception {
        this(limits, quotas, createOnPush, auth, false, Clock.systemUTC());
    }

    /** With {@code verifyBlobReads}, as {@code integrity.verify-on-read: true}. */
    public TestRegistry(RegistryLimits limits, Quotas quotas, boolean createOnPush, Auth auth, boolean verifyBlobReads)
            throws Exception {
        this(limits, quotas, createOnPush, auth, verifyBlobReads, Clock.systemUTC());
    }

    /** @param clock the domain's clock (a hand-moved one tests expiry without sleeping) */
    public TestRegistry(RegistryLimits limits, Clock clock) throws Exception {
        this(limits, Quotas.defaults(), true, new DisabledAuth(ACCOUNT, Clock.systemUTC()), false, clock);
    }

    public TestRegistry(RegistryLimits limits, Quotas quotas, boolean createOnPush, Auth auth, Clock clock)
            throws Exception {
        this(limits, quotas, createOnPush, auth, false, clock);
    }

    public TestRegistry(RegistryLimits limits, Quotas quotas, boolean createOnPush, Auth auth, boolean verifyBlobReads,
                        Clock clock)
            throws Exception {
        this(limits, quotas, createOnPush, auth, verifyBlobReads, clock, null);
    }

    /** Blobs and uploads in an S3 bucket (S3Proxy), as {@code storage.blobs: s3}; metadata in SQLite. */
    public TestRegistry(S3Settings s3) throws Exception {
        this(RegistryLimits.defaults(), Quotas.defaults(), true, new DisabledAuth(ACCOUNT, Clock.systemUTC()), false,
                Clock.systemUTC(), s3);
    }

    private TestRegistry(RegistryLimits limits, Quotas quotas, boolean createOnPush, Auth auth, boolean verifyBlobReads,
                         Clock clock, S3Settings s3) throws Exception {
        dataDir = Files.createTempDirectory("wharf-test");
        JdbcMetadataStore jdbc = SqliteMetadataStore.openExclusive(dataDir); // as serve opens it: read cache on
        meta = jdbc;
        if (s3 == null) {
            FileSystemBlobStore blobs = new FileSystemBlobStore(dataDir);
            s3Storage = null;
            registry = new Registry(meta, blobs, new FileSystemUploadStore(blobs), limits, quotas, createOnPush, clock);
        } else {
            s3Storage = S3Storage.open(s3, jdbc.s3Uploads());
            registry = new Registry(meta, s3Storage.blobs(), s3Storage.uploads(), limits, quotas, createOnPush, clock);
        }
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        this.auth = auth;
        this.verifyBlobReads = verifyBlobReads;
        server.setHandler(api());
        server.setErrorHandler(new OciErrorHandler());
        server.start();
        port = connector.getLocalPort();
    }

    /** Where the blob tree keeps {@code digest} ({@code sha256:...}), for tests that damage it. */
    public Path blobFile(String digest) {
        String hex = digest.substring("sha256:".length());
        return dataDir.resolve("blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex);
    }

    /** Both APIs over this registry, for serving it from another server too (such as the production {@code WharfServer}). */
    public Handler api() {
        return new Handler.Sequence(
                new EcrHandler(new EcrOperations(registry, auth, REGION), auth, REGION, 32 << 20,
                        new BodyBudget(64 << 20), 64 << 20),
                new OciHandler(registry, ACCOUNT, REGION, 255, auth, 64 << 20, verifyBlobReads, manifestBudget));
    }

    /** The domain behind the handlers, for tests that drive what no request does (garbage collection). */
    public Registry registry() {
        return registry;
    }

    /** Bytes of the OCI manifest body budget not held by a request now. */
    public int manifestBudgetAvailable() {
        return manifestBudget.available();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    public HttpRequest.Builder request(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery));
    }

    public HttpResponse<byte[]> send(HttpRequest request) throws IOException, InterruptedException {
        return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<byte[]> send(String method, String pathAndQuery, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(pathAndQuery).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    public HttpResponse<byte[]> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    public HttpResponse<byte[]> head(String path) throws IOException, InterruptedException {
        return send("HEAD", path, null);
    }

    /** Sends bytes exactly as given (for paths HttpClient would refuse or normalize); returns the raw response. */
    public String raw(String requestText) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(requestText.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /** Stops serving and closes the store, leaving the data directory to the caller (which deletes it). */
    public Path closeKeepingData() throws Exception {
        server.stop();
        meta.close();
        return dataDir;
    }

    @Override
    public void close() throws Exception {
        server.stop();
        if (s3Storage != null) {
            s3Storage.close();
        }
        meta.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
