package io.wharf.server.signing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes what keyless {@code cosign sign} writes: a simple-signing layer whose annotations carry the signature, the
 * Fulcio certificate, its chain and the Rekor bundle, in the {@code .sig} tag scheme or as an OCI 1.1 referrer.
 */
public final class KeylessCosign {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KeylessCosign() {
    }

    /** cosign's annotations for a keyless signature; {@code chain} is the PEM chain (null: none). */
    public static Map<String, String> annotations(byte[] signature, X509Certificate cert, String chain, String bundle)
            throws Exception {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("dev.cosignproject.cosign/signature", Base64.getEncoder().encodeToString(signature));
        a.put("dev.sigstore.cosign/certificate", TinySigstore.pem(cert));
        if (chain != null) {
            a.put("dev.sigstore.cosign/chain", chain);
        }
        a.put("dev.sigstore.cosign/bundle", bundle);
        return a;
    }

    /** The {@code sha256-<hex>.sig} manifest of one layer: {@code payload} with these annotations. */
    public static void signTagScheme(Cosign.Client c, String repo, Digest image, byte[] payload,
                                     Map<String, String> annotations) throws Exception {
        byte[] config = "{\"architecture\":\"\",\"os\":\"\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"
                .getBytes(StandardCharsets.UTF_8);
        Cosign.push(c, repo, payload);
        Cosign.push(c, repo, config);
        ObjectNode m = manifest(payload, annotations);
        m.set("config", JSON.readTree(Cosign.descriptor("application/vnd.oci.image.config.v1+json", config)));
        Cosign.put(c, repo, "sha256-" + image.hex() + ".sig", JSON.writeValueAsBytes(m));
    }

    /** The same layer in an untagged referrer of cosign's artifact type, as {@code --registry-referrers-mode=oci-1-1}. */
    public static void signReferrer(Cosign.Client c, String repo, byte[] image, byte[] payload,
                                    Map<String, String> annotations) throws Exception {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        Cosign.push(c, repo, payload);
        Cosign.push(c, repo, empty);
        ObjectNode m = manifest(payload, annotations);
        m.put("artifactType", "application/vnd.dev.cosign.artifact.sig.v1+json");
        m.set("config", JSON.readTree(Cosign.descriptor("application/vnd.oci.empty.v1+json", empty)));
        m.set("subject", JSON.readTree(Cosign.descriptor(Cosign.OCI_MANIFEST, image)));
        byte[] bytes = JSON.writeValueAsBytes(m);
        Cosign.put(c, repo, Digest.sha256Of(bytes).toString(), bytes);
    }

    private static ObjectNode manifest(byte[] payload, Map<String, String> annotations) throws Exception {
        ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", Cosign.OCI_MANIFEST);
        ObjectNode layer = (ObjectNode) JSON.readTree(
                Cosign.descriptor("application/vnd.dev.cosign.simplesigning.v1+json", payload));
        ObjectNode a = layer.putObject("annotations");
        annotations.forEach(a::put);
        m.putArray("layers").add(layer);
        return m;
    }
}
