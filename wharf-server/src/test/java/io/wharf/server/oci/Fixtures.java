package io.wharf.server.oci;

import io.wharf.core.model.Digest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Test content: random blobs and manifests built around them, pushed over real HTTP. */
public final class Fixtures {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";

    private static final Random RANDOM = new Random(42);

    private Fixtures() {
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    public static String digest(byte[] content) {
        return Digest.sha256Of(content).toString();
    }

    public static String descriptor(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest(content) + "\",\"size\":" + content.length + "}";
    }

    public static byte[] manifest(byte[] config, byte[]... layers) {
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":")
                .append(descriptor(OCI_CONFIG, config)).append(",\"layers\":[");
        for (int i = 0; i < layers.length; i++) {
            sb.append(i == 0 ? "" : ",").append(descriptor(OCI_LAYER, layers[i]));
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Pushes a blob with a monolithic POST and checks it was accepted. */
    public static void pushBlob(TestRegistry r, String repo, byte[] content) throws Exception {
        HttpResponse<byte[]> res = r.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest(content), content,
                "Content-Type", "application/octet-stream");
        if (res.statusCode() != 201) {
            throw new AssertionError("blob push failed: " + res.statusCode() + " " + new String(res.body()));
        }
    }

    /** Pushes config + one layer + manifest under {@code reference}; returns the manifest bytes. */
    public static byte[] pushImage(TestRegistry r, String repo, String reference) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":" + RANDOM.nextInt() + "}").getBytes();
        byte[] layer = randomBytes(1024);
        pushBlob(r, repo, config);
        pushBlob(r, repo, layer);
        byte[] manifest = manifest(config, layer);
        HttpResponse<byte[]> res = r.send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest,
                "Content-Type", OCI_MANIFEST);
        if (res.statusCode() != 201) {
            throw new AssertionError("manifest push failed: " + res.statusCode() + " " + new String(res.body()));
        }
        return manifest;
    }

    public static String body(HttpResponse<byte[]> res) {
        return new String(res.body(), StandardCharsets.UTF_8);
    }
}
