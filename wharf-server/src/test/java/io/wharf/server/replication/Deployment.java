package io.wharf.server.replication;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.wharf.core.model.Digest;
import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.ConfigLoader;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A Wharf deployment started in-process through the real wiring (Jetty, SQLite, jobs, the event dispatcher). */
final class Deployment implements AutoCloseable {
    final WharfConfig config;
    final Backend backend;
    final Application app;
    private final HttpClient http = HttpClient.newHttpClient();
    /** The Authorization header of every request (null: none, auth off). */
    String authorization;

    private Deployment(WharfConfig config, Map<String, String> env) throws Exception {
        this.config = config;
        this.backend = Wiring.open(config, env, new PrintWriter(new StringWriter(), true));
        Backend b = backend;
        this.app = Application.start(config, backend, registry -> Wiring.api(registry, config, b.auth()));
    }

    /**
     * A deployment in {@code region} on a free port; {@code settings} are configuration keys by path (they win over the
     * test defaults: auth off, fast replication retries).
     */
    static Deployment start(Path data, String region, Map<String, String> settings, Map<String, String> env) throws Exception {
        Map<String, String> flags = new HashMap<>(Map.of("data", data.toString(), "listen", "127.0.0.1:0",
                "region", region, "auth.enabled", "false", "shutdown-timeout", "PT2S",
                "replication.interval", "PT0.2S", "replication.backoff", "PT0.2S", "replication.max-backoff", "PT0.5S",
                "jobs.poll-interval", "PT0.1S", "events.poll-interval", "PT0.1S"));
        flags.putAll(settings);
        return new Deployment(ConfigLoader.load(null, Map.of(), flags).config(), env);
    }

    int port() {
        return app.server().uri().getPort();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    HttpResponse<String> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(endpoint().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An ECR call in AWS JSON 1.1 (auth off: no signature needed). */
    HttpResponse<String> ecr(String operation, String json) throws Exception {
        return send("POST", "/", json.getBytes(UTF_8), "Content-Type", "application/x-amz-json-1.1",
                "X-Amz-Target", "AmazonEC2ContainerRegistry_V20150921." + operation);
    }

    void pushBlob(String repo, byte[] content) throws Exception {
        HttpResponse<String> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Fixtures.digest(content), content,
                "Content-Type", "application/octet-stream");
        if (r.statusCode() != 201) {
            throw new AssertionError("blob push failed: " + r.statusCode() + " " + r.body());
        }
    }

    /** Puts a manifest; returns its digest. */
    Digest putManifest(String repo, String reference, String mediaType, byte[] manifest, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = mediaType;
        System.arraycopy(headers, 0, all, 2, headers.length);
        HttpResponse<String> r = send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest, all);
        if (r.statusCode() != 201) {
            throw new AssertionError("manifest push failed: " + r.statusCode() + " " + r.body());
        }
        return Digest.sha256Of(manifest);
    }

    /** Pushes a one-layer image; returns its manifest bytes. */
    byte[] pushImage(String repo, String reference, String... headers) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + System.nanoTime() + "\"}").getBytes(UTF_8);
        byte[] layer = Fixtures.randomBytes(2048);
        pushBlob(repo, config);
        pushBlob(repo, layer);
        byte[] manifest = Fixtures.manifest(config, layer);
        putManifest(repo, reference, Fixtures.OCI_MANIFEST, manifest, headers);
        return manifest;
    }

    @Override
    public void close() {
        app.stop();
    }
}
