package io.wharf.server.gc;

import io.wharf.core.model.Digest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A registry client that pushes and pulls the way real ones do (HEAD each blob, upload what is missing, PUT the
 * manifest; pull checks every digest by hashing the content), and reports any answer it did not expect.
 */
public final class OciClient {
    public static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    private static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

    /** An image: its config and layers, and the manifest that names them. */
    public record Image(byte[] config, List<byte[]> layers, byte[] manifest, String digest) {
        public static Image of(byte[] config, List<byte[]> layers) {
            StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":")
                    .append(OciClient.descriptor(CONFIG_TYPE, config)).append(",\"layers\":[");
            for (int i = 0; i < layers.size(); i++) {
                sb.append(i == 0 ? "" : ",").append(OciClient.descriptor(LAYER_TYPE, layers.get(i)));
            }
            byte[] manifest = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            return new Image(config, List.copyOf(layers), manifest, OciClient.digest(manifest));
        }

        /** Config first, then the layers. */
        public List<byte[]> blobs() {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of(config), layers.stream()).toList();
        }
    }

    /** An answer the protocol does not allow at that point. */
    public static final class UnexpectedAnswer extends RuntimeException {
        public final int status;

        UnexpectedAnswer(HttpResponse<byte[]> res, String expected) {
            super(res.request().method() + " " + res.uri() + " -> " + res.statusCode() + " (expected " + expected + ") "
                    + new String(res.body(), StandardCharsets.UTF_8));
            this.status = res.statusCode();
        }
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String authorization;

    /** @param authorization an {@code Authorization} header value, or null */
    public OciClient(int port, String authorization) {
        this.base = "http://127.0.0.1:" + port;
        this.authorization = authorization;
    }

    public static String digest(byte[] content) {
        return Digest.sha256Of(content).toString();
    }

    private static String descriptor(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest(content) + "\",\"size\":" + content.length + "}";
    }

    /** Pushes as clients do: each blob HEAD first and uploaded only when missing, then the manifest under {@code tag}. */
    public void push(String repo, Image image, String tag) throws IOException, InterruptedException {
        for (byte[] blob : image.blobs()) {
            if (!hasBlob(repo, digest(blob))) {
                upload(repo, blob);
            }
        }
        putManifest(repo, tag, image.manifest());
    }

    public boolean hasBlob(String repo, String digest) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = send("HEAD", "/v2/" + repo + "/blobs/" + digest, null, null);
        return switch (res.statusCode()) {
            case 200 -> true;
            case 404 -> false;
            default -> throw new UnexpectedAnswer(res, "200 or 404");
        };
    }

    /** A monolithic upload ({@code POST ?digest=}). */
    public void upload(String repo, byte[] blob) throws IOException, InterruptedException {
        expect(201, send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest(blob), blob, "application/octet-stream"));
    }

    /**
     * A cross-repository mount; when the registry opens an upload session instead (202), the blob is uploaded
     * into it, as the protocol says. True when it was mounted.
     */
    public boolean mountOrUpload(String repo, String from, byte[] blob) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = send("POST", "/v2/" + repo + "/blobs/uploads/?mount=" + digest(blob) + "&from=" + from,
                new byte[0], null);
        if (res.statusCode() == 201) {
            return true;
        }
        expect(202, res);
        String location = res.headers().firstValue("Location").orElseThrow();
        String sep = location.contains("?") ? "&" : "?";
        expect(201, sendTo(URI.create(base).resolve(location).toString() + sep + "digest=" + digest(blob), "PUT", blob,
                "application/octet-stream"));
        return false;
    }

    public HttpResponse<byte[]> putManifestAnswer(String repo, String reference, byte[] manifest)
            throws IOException, InterruptedException {
        return send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest, MANIFEST_TYPE);
    }

    public void putManifest(String repo, String reference, byte[] manifest) throws IOException, InterruptedException {
        expect(201, putManifestAnswer(repo, reference, manifest));
    }

    /** The manifest's bytes, or empty on 404. */
    public Optional<byte[]> manifest(String repo, String reference) throws IOException, InterruptedException {
        HttpResponse<byte[]> res = send("GET", "/v2/" + repo + "/manifests/" + reference, null, null, "Accept", MANIFEST_TYPE);
        if (res.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(expect(200, res).body());
    }

    /** Pulls the image's manifest by {@code reference} and every blob it names, and checks every digest. */
    public void pull(String repo, String reference, Image image) throws IOException, InterruptedException {
        byte[] manifest = manifest(repo, reference).orElseThrow(() -> new AssertionError(repo + ":" + reference + " missing"));
        check(repo + ":" + reference, image.digest(), manifest);
        for (byte[] blob : image.blobs()) {
            String d = digest(blob);
            HttpResponse<byte[]> res = expect(200, send("GET", "/v2/" + repo + "/blobs/" + d, null, null));
            check(repo + "@" + d, d, res.body());
        }
    }

    private static void check(String what, String expected, byte[] content) {
        String actual = digest(content);
        if (!actual.equals(expected)) {
            throw new AssertionError(what + ": served content hashes to " + actual + ", expected " + expected);
        }
    }

    /** DELETE of a manifest (by digest) or a tag; true on 202, false on 404. */
    public boolean deleteManifest(String repo, String reference) throws IOException, InterruptedException {
        return deleted(send("DELETE", "/v2/" + repo + "/manifests/" + reference, null, null));
    }

    /** DELETE of a blob's link in the repository; true on 202, false on 404. */
    public boolean deleteBlob(String repo, String digest) throws IOException, InterruptedException {
        return deleted(send("DELETE", "/v2/" + repo + "/blobs/" + digest, null, null));
    }

    private static boolean deleted(HttpResponse<byte[]> res) {
        if (res.statusCode() == 404) {
            return false;
        }
        expect(202, res);
        return true;
    }

    public HttpResponse<byte[]> send(String method, String path, byte[] body, String contentType, String... headers)
            throws IOException, InterruptedException {
        return sendTo(base + path, method, body, contentType, headers);
    }

    private HttpResponse<byte[]> sendTo(String url, String method, byte[] body, String contentType, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public static HttpResponse<byte[]> expect(int status, HttpResponse<byte[]> res) {
        if (res.statusCode() != status) {
            throw new UnexpectedAnswer(res, String.valueOf(status));
        }
        return res;
    }
}
