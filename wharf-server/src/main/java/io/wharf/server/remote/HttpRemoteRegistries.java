package io.wharf.server.remote;

import io.wharf.core.remote.RemoteCredentials;
import io.wharf.core.remote.RemoteRegistries;
import io.wharf.core.remote.RemoteRegistry;
import io.wharf.server.config.WharfConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * {@link RemoteRegistries} over {@code java.net.http}: one HTTP client (connection pool) for every remote, and
 * one {@link RemoteRegistry} per endpoint, credentials and headers, kept so that what it learned (the kind of
 * challenge, its tokens) serves later calls: a replication or pull-through run opening the same remote again
 * buys no new token. See docs/remote-registries.md.
 */
public final class HttpRemoteRegistries implements RemoteRegistries, AutoCloseable {
    /** Remotes kept at most; beyond, the cache starts over (tokens are bought again, nothing else is lost). */
    static final int MAX_OPEN = 1024;
    /** The JDK client's read buffer (its default, 16 KiB, made a 112 MiB blob read 1.8x slower); process-wide. */
    static final String READ_BUFFER = "262144";

    static {
        if (System.getProperty("jdk.httpclient.bufsize") == null) { // an operator's -D wins
            System.setProperty("jdk.httpclient.bufsize", READ_BUFFER);
        }
    }

    private final WharfConfig.Remote settings;
    private final Clock clock;
    private final HttpClient client;
    private final Transport transport;
    private final Map<Key, HttpRemoteRegistry> open = new ConcurrentHashMap<>();

    private record Key(URI endpoint, RemoteCredentials credentials, Map<String, String> headers) {
    }

    public HttpRemoteRegistries(WharfConfig.Remote settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock decides token expiry (tests move it) */
    public HttpRemoteRegistries(WharfConfig.Remote settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER) // Transport follows them, without credentials off-origin
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
        this.transport = new Transport(client, settings);
    }

    @Override
    public RemoteRegistry open(URI endpoint, RemoteCredentials credentials, Map<String, String> headers) {
        URI root = root(endpoint);
        Key key = new Key(root, Objects.requireNonNull(credentials, "credentials"), Map.copyOf(headers));
        if (open.size() >= MAX_OPEN && !open.containsKey(key)) {
            open.clear();
        }
        return open.computeIfAbsent(key, k -> new HttpRemoteRegistry(root, k.headers(), transport,
                new Authenticator(root, credentials, transport, clock)));
    }

    /** {@code http(s)://host[:port]}: the scheme and authority of {@code endpoint}, which must have no path. */
    static URI root(URI endpoint) {
        if (endpoint.getRawUserInfo() != null || endpoint.getRawQuery() != null) { // checked first: never echo a password
            throw new IllegalArgumentException("a remote registry endpoint has no user info or query");
        }
        String scheme = endpoint.getScheme();
        if (!("http".equals(scheme) || "https".equals(scheme)) || endpoint.getHost() == null) {
            throw new IllegalArgumentException("a remote registry endpoint is http(s)://host[:port], not " + endpoint);
        }
        String path = endpoint.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw new IllegalArgumentException("a remote registry endpoint has no path: " + endpoint);
        }
        return URI.create(scheme + "://" + endpoint.getRawAuthority());
    }

    public WharfConfig.Remote settings() {
        return settings;
    }

    @Override
    public void close() {
        open.clear();
        client.shutdownNow(); // streams a caller abandoned must not hold up shutdown
    }
}
