package io.wharf.server.signing;

import io.wharf.core.model.Digest;
import io.wharf.core.signature.SimpleSigning;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Writes what {@code cosign sign --key} writes, over any registry client: ECDSA P-256 keys, the simple-signing
 * payload, and the {@code sha256-<hex>.sig} manifest (or the OCI 1.1 referrer) whose layer carries the signature
 * annotation.
 */
public final class Cosign {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    /** Sends a request to the registry and answers the status. */
    @FunctionalInterface
    public interface Client {
        int send(String method, String path, byte[] body, String contentType) throws Exception;
    }

    private Cosign() {
    }

    public static KeyPair newKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    public static byte[] sign(KeyPair key, byte[] payload) throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key.getPrivate());
        s.update(payload);
        return s.sign();
    }

    /** Signs {@code image} with {@code key} in cosign's tag scheme, with a payload naming {@code named}. */
    public static void signTagScheme(Client c, String repo, Digest image, Digest named, KeyPair key) throws Exception {
        byte[] payload = SimpleSigning.payload("localhost/" + repo, named);
        byte[] config = "{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        push(c, repo, payload);
        push(c, repo, config);
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s","config":%s,"layers":[{"mediaType":\
                "application/vnd.dev.cosign.simplesigning.v1+json","digest":"%s","size":%d,"annotations":\
                {"dev.cosignproject.cosign/signature":"%s"}}]}""".formatted(OCI_MANIFEST,
                descriptor("application/vnd.oci.image.config.v1+json", config), Digest.sha256Of(payload), payload.length,
                Base64.getEncoder().encodeToString(sign(key, payload)));
        put(c, repo, image.algorithm().prefix() + "-" + image.hex() + ".sig", manifest.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Signs {@code image} (its manifest) with {@code key} as {@code cosign sign --registry-referrers-mode=oci-1-1}
     * does: an untagged referrer of cosign's signature type; {@code profile}, when not null, in Wharf's annotation.
     */
    public static Digest signReferrer(Client c, String repo, byte[] image, KeyPair key, String profile) throws Exception {
        byte[] payload = SimpleSigning.payload("localhost/" + repo, Digest.sha256Of(image));
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        push(c, repo, payload);
        push(c, repo, empty);
        String annotations = "\"dev.cosignproject.cosign/signature\":\"" + Base64.getEncoder().encodeToString(sign(key, payload))
                + "\"" + (profile == null ? "" : ",\"dev.wharf.signing-profile\":\"" + profile + "\"");
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s","artifactType":"application/vnd.dev.cosign.artifact.sig.v1+json",\
                "config":%s,"layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","digest":"%s",\
                "size":%d,"annotations":{%s}}],"subject":%s}""".formatted(OCI_MANIFEST,
                descriptor("application/vnd.oci.empty.v1+json", empty), Digest.sha256Of(payload), payload.length,
                annotations, descriptor(OCI_MANIFEST, image));
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        put(c, repo, Digest.sha256Of(bytes).toString(), bytes);
        return Digest.sha256Of(bytes);
    }

    /** A referrer of {@code subject} with this artifact type (a Notation signature, a sigstore bundle). */
    public static Digest pushReferrer(Client c, String repo, Digest subject, long subjectSize, String artifactType)
            throws Exception {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        byte[] blob = ("signature of " + subject).getBytes(StandardCharsets.UTF_8);
        push(c, repo, empty);
        push(c, repo, blob);
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s","artifactType":"%s","config":%s,"layers":[%s],\
                "subject":{"mediaType":"%s","digest":"%s","size":%d}}""".formatted(OCI_MANIFEST, artifactType,
                descriptor("application/vnd.oci.empty.v1+json", empty), descriptor("application/octet-stream", blob),
                OCI_MANIFEST, subject, subjectSize);
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        put(c, repo, Digest.sha256Of(bytes).toString(), bytes);
        return Digest.sha256Of(bytes);
    }

    /** An image of one random layer under {@code tag}; answers its manifest. */
    public static byte[] pushImage(Client c, String repo, String tag) throws Exception {
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"n\":\"" + System.nanoTime() + "\"}").getBytes();
        byte[] layer = ("layer " + System.nanoTime()).getBytes();
        push(c, repo, config);
        push(c, repo, layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_MANIFEST + "\",\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", config) + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar", layer) + "]}").getBytes(StandardCharsets.UTF_8);
        put(c, repo, tag, manifest);
        return manifest;
    }

    /** An index of the given manifests under {@code tag}; answers its bytes. */
    public static byte[] pushIndex(Client c, String repo, String tag, byte[]... children) throws Exception {
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + OCI_INDEX + "\",\"manifests\":[");
        for (int i = 0; i < children.length; i++) {
            sb.append(i == 0 ? "" : ",").append(descriptor(OCI_MANIFEST, children[i]).replace("}",
                    ",\"platform\":{\"architecture\":\"arch" + i + "\",\"os\":\"linux\"}}"));
        }
        byte[] index = sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        put(c, repo, tag, index);
        return index;
    }

    public static String descriptor(String mediaType, byte[] content) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + Digest.sha256Of(content) + "\",\"size\":"
                + content.length + "}";
    }

    static void push(Client c, String repo, byte[] blob) throws Exception {
        expect(c.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Digest.sha256Of(blob), blob,
                "application/octet-stream"), 201, "blob push");
    }

    static void put(Client c, String repo, String reference, byte[] manifest) throws Exception {
        String type = new String(manifest, StandardCharsets.UTF_8).contains("\"manifests\"") ? OCI_INDEX : OCI_MANIFEST;
        expect(c.send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest, type), 201, "manifest push");
    }

    private static void expect(int status, int wanted, String what) {
        if (status != wanted) {
            throw new AssertionError(what + " answered " + status);
        }
    }
}
