package io.wharf.scan.insight;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.error.UnsupportedImageTypeException;
import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.spi.StoredManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** What insight needs of a stored manifest: an image's tar layers in order, or an index's platforms. */
final class ImageLayers {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A layer as the manifest lists it. */
    record Layer(Digest digest, long size) {
    }

    private ImageLayers() {
    }

    static boolean isIndex(StoredManifest manifest) {
        return MediaTypes.isIndex(manifest.mediaType());
    }

    /** The index's images with their {@code os/arch[/variant]}; attestation entries (unknown/unknown) are left out. */
    static List<ImageInsight.Platform> platforms(StoredManifest index) {
        List<ImageInsight.Platform> out = new ArrayList<>();
        for (JsonNode m : parse(index).path("manifests")) {
            JsonNode p = m.path("platform");
            String platform = p.path("os").asText("") + "/" + p.path("architecture").asText("")
                    + (p.hasNonNull("variant") ? "/" + p.path("variant").asText() : "");
            if (platform.startsWith("unknown/") || !m.hasNonNull("digest")) {
                continue;
            }
            try {
                out.add(new ImageInsight.Platform(Digest.parse(m.path("digest").asText()), "/".equals(platform) ? null : platform));
            } catch (RuntimeException e) {
                // not a digest: the push validated it, so only a damaged row gets here
            }
        }
        return out;
    }

    /**
     * The image's layers bottom first; {@link UnsupportedImageTypeException} when it has none or one is not a tar
     * (an artifact such as a Helm chart or a signature).
     */
    static List<Layer> layers(StoredManifest manifest) {
        List<Layer> out = new ArrayList<>();
        for (JsonNode l : parse(manifest).path("layers")) {
            if (!l.path("mediaType").asText().contains(".tar")) {
                throw unsupported(manifest, "a layer of type " + l.path("mediaType").asText() + " is not a tar");
            }
            out.add(new Layer(Digest.parse(l.path("digest").asText()), l.path("size").asLong()));
        }
        if (out.isEmpty()) {
            throw unsupported(manifest, "it has no layers");
        }
        return out;
    }

    private static UnsupportedImageTypeException unsupported(StoredManifest manifest, String why) {
        return new UnsupportedImageTypeException("Layer insight is not available for " + manifest.digest() + ": "
                + why, manifest.digest().toString());
    }

    private static JsonNode parse(StoredManifest manifest) {
        try {
            return JSON.readTree(manifest.content());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }
}
