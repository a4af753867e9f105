package io.wharf.server.signing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

/**
 * Writes what {@code notation sign} writes (the notation CLI is not installed here), following the Notary Project
 * specifications: a flattened JWS JSON envelope ({@code application/jose+json}) over the payload
 * {@code {"targetArtifact": <descriptor>}}, pushed as an OCI 1.1 referrer of artifact type
 * {@code application/vnd.cncf.notary.signature} whose one layer is the envelope.
 */
public final class Notation {
    public static final String ARTIFACT_TYPE = "application/vnd.cncf.notary.signature";
    public static final String JWS = "application/jose+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    /** The envelope's parts; tests change one to break it. */
    public static final class Envelope {
        public ObjectNode header = JSON.createObjectNode();
        public String target;
        public List<X509Certificate> chain;
        public PrivateKey key;
        public boolean tamper;

        /** A good ES256 {@code notary.x509} envelope signing {@code target} (a descriptor, JSON). */
        public Envelope(String target, PrivateKey key, List<X509Certificate> chain) {
            this.target = target;
            this.key = key;
            this.chain = chain;
            header.put("alg", "ES256").put("cty", "application/vnd.cncf.notary.payload.v1+json")
                    .put("io.cncf.notary.signingScheme", "notary.x509")
                    .put("io.cncf.notary.signingTime", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            header.putArray("crit").add("io.cncf.notary.signingScheme");
        }

        public Envelope expiry(Instant at) {
            header.put("io.cncf.notary.expiry", at.truncatedTo(ChronoUnit.SECONDS).toString());
            ((ArrayNode) header.get("crit")).add("io.cncf.notary.expiry");
            return this;
        }

        public byte[] bytes() throws Exception {
            String protectedHeader = URL.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8));
            String payload = URL.encodeToString(("{\"targetArtifact\":" + target + "}").getBytes(StandardCharsets.UTF_8));
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format"); // JWS ES256: r||s
            s.initSign(key);
            s.update((protectedHeader + "." + payload).getBytes(StandardCharsets.US_ASCII));
            byte[] signature = s.sign();
            if (tamper) {
                signature[5] ^= 1;
            }
            ObjectNode env = JSON.createObjectNode().put("payload", payload).put("protected", protectedHeader);
            ArrayNode x5c = env.putObject("header").put("io.cncf.notary.signingAgent", "wharf-tests/1").putArray("x5c");
            for (X509Certificate c : chain) {
                x5c.add(Base64.getEncoder().encodeToString(c.getEncoded()));
            }
            return env.put("signature", URL.encodeToString(signature)).toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private Notation() {
    }

    /** Pushes {@code envelope} (of {@code mediaType}) as a Notation signature of {@code image}; answers its digest. */
    public static Digest push(Cosign.Client c, String repo, byte[] image, byte[] envelope, String mediaType) throws Exception {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        blob(c, repo, empty);
        blob(c, repo, envelope);
        String manifest = """
                {"schemaVersion":2,"mediaType":"%s","artifactType":"%s","config":%s,"layers":[%s],"subject":%s,\
                "annotations":{"io.cncf.notary.x509chain.thumbprint#S256":"[]"}}""".formatted(Cosign.OCI_MANIFEST,
                ARTIFACT_TYPE, Cosign.descriptor("application/vnd.oci.empty.v1+json", empty),
                Cosign.descriptor(mediaType, envelope), Cosign.descriptor(Cosign.OCI_MANIFEST, image));
        byte[] bytes = manifest.getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.sha256Of(bytes);
        expect(c.send("PUT", "/v2/" + repo + "/manifests/" + digest, bytes, Cosign.OCI_MANIFEST), "manifest push");
        return digest;
    }

    /** The descriptor of an image manifest, as {@code notation sign} puts it in targetArtifact. */
    public static String target(byte[] image) {
        return Cosign.descriptor(Cosign.OCI_MANIFEST, image);
    }

    private static void blob(Cosign.Client c, String repo, byte[] blob) throws Exception {
        expect(c.send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + Digest.sha256Of(blob), blob,
                "application/octet-stream"), "blob push");
    }

    private static void expect(int status, String what) {
        if (status != 201) {
            throw new AssertionError(what + " answered " + status);
        }
    }
}
