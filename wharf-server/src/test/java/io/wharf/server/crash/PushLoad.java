package io.wharf.server.crash;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pushes images until the server dies, recording only what the server acknowledged: a blob after
 * its 201, a tag after the manifest's 201. Uses monolithic and chunked uploads alike.
 *
 * <p>It stops at its first failure and keeps it unless the kill explains it: a transport error (refused,
 * reset, timed out) once the kill was issued. An HTTP answer other than the expected one is never the kill's
 * doing (a killed process answers nothing), and neither is any error before it.
 */
final class PushLoad implements Runnable {
    /** Acknowledged blobs: repository → digest → bytes. */
    final Map<String, Map<String, byte[]>> blobs;
    /** Acknowledged tags: "repo:tag" → manifest digest. */
    final Map<String, String> tags;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ServerProcess server;
    private final String base;
    private final String repo;
    private final String tagPrefix;
    private final Random random;
    private final AtomicInteger pushes = new AtomicInteger();
    private volatile Throwable failure;

    PushLoad(ServerProcess server, String repo, String tagPrefix, long seed, Map<String, Map<String, byte[]>> blobs,
             Map<String, String> tags) {
        this.server = server;
        this.base = "http://127.0.0.1:" + server.port + "/v2/" + repo;
        this.repo = repo;
        this.tagPrefix = tagPrefix;
        this.random = new Random(seed);
        this.blobs = blobs;
        this.tags = tags;
    }

    /** Images (manifest and tag) this load pushed and the server acknowledged. */
    int pushes() {
        return pushes.get();
    }

    /** The failure that stopped this load and that the kill does not explain, or null. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            for (int i = 0; ; i++) {
                pushImage(tagPrefix + "-" + i);
                pushes.incrementAndGet();
            }
        } catch (Throwable t) {
            if (!(server.killIssued() && t instanceof IOException)) {
                failure = t;
            }
        }
    }

    private void pushImage(String tag) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + random.nextLong() + "}").getBytes();
        byte[] layer = new byte[1024 + random.nextInt(3 << 20)];
        random.nextBytes(layer);
        pushMonolithic(config);
        pushChunked(layer);
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                + desc("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":["
                + desc("application/vnd.oci.image.layer.v1.tar+gzip", layer) + "]}";
        byte[] body = manifest.getBytes(StandardCharsets.UTF_8);
        expect(201, send("PUT", base + "/manifests/" + tag, body, "application/vnd.oci.image.manifest.v1+json", null));
        tags.put(repo + ":" + tag, digest(body));
    }

    /** Opens an upload session, sends {@code chunk} into it (unless empty) and leaves it; returns its id. */
    String abandonUpload(byte[] chunk) throws Exception {
        String location = startSession();
        if (chunk.length > 0) {
            expect(202, send("PATCH", location, chunk, "application/octet-stream", "0-" + (chunk.length - 1)));
        }
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private void pushMonolithic(byte[] blob) throws Exception {
        expect(201, send("POST", base + "/blobs/uploads/?digest=" + digest(blob), blob, "application/octet-stream", null));
        acknowledge(blob);
    }

    private void pushChunked(byte[] blob) throws Exception {
        String location = startSession();
        int half = blob.length / 2;
        expect(202, send("PATCH", location, Arrays.copyOf(blob, half), "application/octet-stream", "0-" + (half - 1)));
        expect(202, send("PATCH", location, Arrays.copyOfRange(blob, half, blob.length), "application/octet-stream",
                half + "-" + (blob.length - 1)));
        expect(201, send("PUT", location + "?digest=" + digest(blob), new byte[0], null, null));
        acknowledge(blob);
    }

    private String startSession() throws Exception {
        HttpResponse<byte[]> start = expect(202, send("POST", base + "/blobs/uploads/", new byte[0], null, null));
        return "http://127.0.0.1:" + server.port + start.headers().firstValue("Location").orElseThrow();
    }

    private void acknowledge(byte[] blob) throws Exception {
        blobs.computeIfAbsent(repo, k -> new ConcurrentHashMap<>()).put(digest(blob), blob);
    }

    private HttpResponse<byte[]> send(String method, String url, byte[] body, String contentType, String contentRange) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Authorization", server.authorization);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (contentRange != null) {
            b.header("Content-Range", contentRange);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** An unexpected answer is an {@link IllegalStateException}, never an {@link IOException} the kill could excuse. */
    private static HttpResponse<byte[]> expect(int status, HttpResponse<byte[]> res) {
        if (res.statusCode() != status) {
            throw new IllegalStateException(res.request().method() + " " + res.uri() + " -> " + res.statusCode() + " "
                    + new String(res.body(), StandardCharsets.UTF_8));
        }
        return res;
    }

    static String digest(byte[] content) throws Exception {
        return DataDirectory.sha256(content);
    }

    private static String desc(String mediaType, byte[] content) throws Exception {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest(content) + "\",\"size\":" + content.length + "}";
    }
}
