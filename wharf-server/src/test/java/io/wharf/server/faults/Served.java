package io.wharf.server.faults;

import io.wharf.server.app.Application;
import io.wharf.server.app.Backend;
import io.wharf.server.app.Wiring;
import io.wharf.server.config.WharfConfig;
import io.wharf.server.oci.Fixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/** {@code wharf serve} in-process on a data directory (authentication off), with a plain HTTP client. */
final class Served implements AutoCloseable {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    final Application app;
    final URI uri;

    private Served(Application app) {
        this.app = app;
        this.uri = app.server().uri();
    }

    static Served start(Path data) throws Exception {
        WharfConfig config = WharfConfig.defaults()
                .withListen(new WharfConfig.Listen("127.0.0.1", 0))
                .withShutdownTimeout(Duration.ofSeconds(5))
                .withData(data)
                .withAuth(new WharfConfig.AuthSettings(false));
        Backend backend = Wiring.open(config);
        return new Served(Application.start(config, backend, r -> Wiring.api(r, config, backend.auth())));
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    /** Pushes a blob with a monolithic POST and checks it was accepted. */
    void pushBlob(String repo, byte[] content) throws Exception {
        expect(201, send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Fixtures.digest(content), content,
                "Content-Type", "application/octet-stream"));
    }

    /** Pushes config and one layer; returns the manifest over them (not pushed). */
    byte[] pushBlobsOfImage(String repo, int layerBytes) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"repo\":\"" + repo + "\"}").getBytes();
        byte[] layer = Fixtures.randomBytes(layerBytes);
        pushBlob(repo, config);
        pushBlob(repo, layer);
        return Fixtures.manifest(config, layer);
    }

    HttpResponse<byte[]> putManifest(String repo, String reference, byte[] manifest) throws Exception {
        return send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest, "Content-Type", Fixtures.OCI_MANIFEST);
    }

    static HttpResponse<byte[]> expect(int status, HttpResponse<byte[]> res) {
        if (res.statusCode() != status) {
            throw new AssertionError("expected " + status + ", got " + res.statusCode() + " " + new String(res.body()));
        }
        return res;
    }

    @Override
    public void close() throws Exception {
        app.stop();
        app.awaitStopped();
    }
}
