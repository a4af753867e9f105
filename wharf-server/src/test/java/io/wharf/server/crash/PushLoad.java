package io.wharf.server.crash;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pushes images until the server dies, recording only what the server acknowledged: a blob after
 * its 201, a tag after the manifest's 201. Uses monolithic and chunked uploads alike.
 */
final class PushLoad implements Runnable {
    /** Acknowledged blobs: repository → digest → bytes. */
    final Map<String, Map<String, byte[]>> blobs;
    /** Acknowledged tags: "repo:tag" → manifest digest. */
    final Map<String, String> tags;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String authorization;
    private final String repo;
    private final String tagPrefix;
    private final Random random;

    PushLoad(ServerProcess server, String repo, String tagPrefix, long seed, Map<String, Map<String, byte[]>> blobs,
             Map<String, String> tags) {
        this.base = "http://127.0.0.1:" + server.port + "/v2/" + repo;
        this.authorization = server.authorization;
        this.repo = repo;
        this.tagPrefix = tagPrefix;
        this.random = new Random(seed);
        this.blobs = blobs;
        this.tags = tags;
    }

    @Override
    public void run() {
        try {
            for (int i = 0; ; i++) {
                byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + random.nextLong() + "}").getBytes();
                byte[] layer = new byte[1024 + random.nextInt(3 << 20)];
                random.nextBytes(layer);
                pushMonolithic(config);
                pushChunked(layer);
                String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":"
                        + desc("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":["
                        + desc("application/vnd.oci.image.layer.v1.tar+gzip", layer) + "]}";
                byte[] body = manifest.getBytes(StandardCharsets.UTF_8);
                String tag = tagPrefix + "-" + i;
                expect(201, send("PUT", base + "/manifests/" + tag, body, "application/vnd.oci.image.manifest.v1+json", null));
                tags.put(repo + ":" + tag, digest(body));
            }
        } catch (Exception serverGone) {
            // the server was killed: stop pushing
        }
    }

    private void pushMonolithic(byte[] blob) throws Exception {
        expect(201, send("POST", base + "/blobs/uploads/?digest=" + digest(blob), blob, "application/octet-stream", null));
        acknowledge(blob);
    }

    private void pushChunked(byte[] blob) throws Exception {
        HttpResponse<byte[]> start = expect(202, send("POST", base + "/blobs/uploads/", new byte[0], null, null));
        String location = "http://127.0.0.1:" + URI.create(base).getPort() + start.headers().firstValue("Location").orElseThrow();
        int half = blob.length / 2;
        expect(202, send("PATCH", location, Arrays.copyOf(blob, half), "application/octet-stream", "0-" + (half - 1)));
        expect(202, send("PATCH", location, Arrays.copyOfRange(blob, half, blob.length), "application/octet-stream",
                half + "-" + (blob.length - 1)));
        expect(201, send("PUT", location + "?digest=" + digest(blob), new byte[0], null, null));
        acknowledge(blob);
    }

    private void acknowledge(byte[] blob) throws Exception {
        blobs.computeIfAbsent(repo, k -> new ConcurrentHashMap<>()).put(digest(blob), blob);
    }

    private HttpResponse<byte[]> send(String method, String url, byte[] body, String contentType, String contentRange) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body)).header("Authorization", authorization);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (contentRange != null) {
            b.header("Content-Range", contentRange);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> expect(int status, HttpResponse<byte[]> res) {
        if (res.statusCode() != status) {
            throw new IllegalStateException(res.request().method() + " " + res.uri() + " -> " + res.statusCode() + " "
                    + new String(res.body(), StandardCharsets.UTF_8));
        }
        return res;
    }

    static String digest(byte[] content) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static String desc(String mediaType, byte[] content) throws Exception {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest(content) + "\",\"size\":" + content.length + "}";
    }

}
