package io.wharf.core.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.model.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** cosign's simple-signing payload: what a signature covers, naming the image by its manifest digest. */
public final class SimpleSigning {
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String TYPE = "cosign container image signature";

    private SimpleSigning() {
    }

    /** {@code critical.image.docker-manifest-digest}; empty when the payload is not a simple-signing document. */
    public static Optional<Digest> manifestDigest(byte[] payload) {
        try {
            JsonNode d = JSON.readTree(payload).path("critical").path("image").path("docker-manifest-digest");
            return d.isTextual() && Digest.looksLikeDigest(d.asText()) ? Optional.of(Digest.parse(d.asText()))
                    : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The payload cosign writes for {@code reference} (the repository, e.g. {@code host/name}) at {@code image}. */
    public static byte[] payload(String reference, Digest image) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", reference);
        critical.putObject("image").put("docker-manifest-digest", image.toString());
        critical.put("type", TYPE);
        root.putNull("optional");
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
