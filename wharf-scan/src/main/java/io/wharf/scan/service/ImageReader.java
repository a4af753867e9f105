package io.wharf.scan.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wharf.core.model.Digest;
import io.wharf.core.model.MediaTypes;
import io.wharf.core.service.BlobService;
import io.wharf.core.service.RepoKey;
import io.wharf.core.spi.StoredManifest;
import io.wharf.scan.layer.LayerSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What the scanner needs of a stored manifest: an index's platforms, an image's layers with their diffIDs. */
final class ImageReader {
    static final Set<String> IMAGE_CONFIGS = Set.of("application/vnd.oci.image.config.v1+json",
            "application/vnd.docker.container.image.v1+json");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An image config is small; one beyond this is not one. */
    private static final int MAX_CONFIG_BYTES = 4 << 20;

    /** One platform of an index. */
    record Child(Digest digest, String platform) {
    }

    private final BlobService blobs;

    ImageReader(BlobService blobs) {
        this.blobs = blobs;
    }

    static JsonNode parse(StoredManifest manifest) {
        try {
            return JSON.readTree(manifest.content());
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
    }

    static boolean isIndex(StoredManifest manifest) {
        return MediaTypes.isIndex(manifest.mediaType());
    }

    /**
     * A container image Wharf can scan: an image manifest with an image config, no artifact type and no subject
     * (SBOMs, signatures, attestations, Helm charts and other artifacts are not), or an index of at least one.
     */
    static boolean scannable(StoredManifest manifest) {
        JsonNode root = parse(manifest);
        if (isIndex(manifest)) {
            return !children(root).isEmpty();
        }
        return manifest.subject() == null && !root.hasNonNull("artifactType")
                && IMAGE_CONFIGS.contains(root.path("config").path("mediaType").asText());
    }

    /** The index's image children with their {@code os/arch[/variant]}; attestation entries (unknown/unknown) are left out. */
    static List<Child> children(JsonNode index) {
        List<Child> out = new ArrayList<>();
        for (JsonNode m : index.path("manifests")) {
            JsonNode p = m.path("platform");
            String platform = p.path("os").asText("") + "/" + p.path("architecture").asText("")
                    + (p.hasNonNull("variant") ? "/" + p.path("variant").asText() : "");
            if (platform.startsWith("unknown/") || !m.hasNonNull("digest")) {
                continue;
            }
            try {
                out.add(new Child(Digest.parse(m.path("digest").asText()), "/".equals(platform) ? null : platform));
            } catch (RuntimeException e) {
                // not a digest: the push validated it, so only a damaged row gets here; skip it
            }
        }
        return out;
    }

    /** The image's layers bottom first, each with the diffID its config claims (null when the config names none). */
    List<LayerSource> layers(RepoKey key, JsonNode manifest) throws IOException {
        List<Digest> diffIds = diffIds(key, Digest.parse(manifest.path("config").path("digest").asText()));
        List<LayerSource> layers = new ArrayList<>();
        int i = 0;
        for (JsonNode l : manifest.path("layers")) {
            Digest digest = Digest.parse(l.path("digest").asText());
            Digest diffId = i < diffIds.size() ? diffIds.get(i) : null;
            layers.add(new LayerSource(digest, l.path("mediaType").asText(), l.path("size").asLong(), diffId,
                    () -> Channels.newInputStream(blobs.open(key, digest))));
            i++;
        }
        return layers;
    }

    private List<Digest> diffIds(RepoKey key, Digest config) throws IOException {
        byte[] bytes;
        try (InputStream in = Channels.newInputStream(blobs.open(key, config))) {
            bytes = in.readNBytes(MAX_CONFIG_BYTES);
        }
        List<Digest> out = new ArrayList<>();
        try {
            for (JsonNode d : JSON.readTree(bytes).path("rootfs").path("diff_ids")) {
                out.add(Digest.parse(d.asText()));
            }
        } catch (IOException | RuntimeException e) {
            return List.of(); // a config without usable diffIDs: layers are read, not looked up in the cache
        }
        return out;
    }
}
