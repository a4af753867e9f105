package io.wharf.core.spi;

import io.wharf.core.model.Digest;
import io.wharf.core.model.Manifest;
import io.wharf.core.model.ManifestParser;
import io.wharf.core.model.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Builds real manifests (through {@link ManifestParser}) for tests; a seed makes each one unique. */
public final class TestManifests {

    public static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    public static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

    private TestManifests() {
    }

    public static Digest blobDigest(String seed) {
        return Digest.sha256Of(seed.getBytes(StandardCharsets.UTF_8));
    }

    /** An image manifest with a config and the given layers. */
    public static Manifest image(String seed, List<Digest> layers) {
        return parse(imageJson(seed, layers, null, null));
    }

    /** An artifact manifest pointing at {@code subject}; artifactType may be null. */
    public static Manifest referrer(String seed, Manifest subject, String artifactType) {
        String subjectJson = descriptor(MediaTypes.OCI_MANIFEST, subject.digest(), subject.size());
        return parse(imageJson(seed, List.of(), subjectJson, artifactType));
    }

    /** An image index listing {@code children}. */
    public static Manifest index(List<Manifest> children) {
        String list = children.stream()
                .map(m -> descriptor(MediaTypes.OCI_MANIFEST, m.digest(), m.size()))
                .collect(Collectors.joining(","));
        return parse("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + list + "]}");
    }

    /** The config digest {@link #image} uses for {@code seed}. */
    public static Digest configOf(String seed) {
        return blobDigest("config-" + seed);
    }

    private static String imageJson(String seed, List<Digest> layers, String subject, String artifactType) {
        StringBuilder json = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\"");
        if (artifactType != null) {
            json.append(",\"artifactType\":\"").append(artifactType).append('"');
        }
        json.append(",\"config\":").append(descriptor(CONFIG_TYPE, configOf(seed), 2));
        json.append(",\"layers\":[")
                .append(layers.stream().map(d -> descriptor(LAYER_TYPE, d, 100)).collect(Collectors.joining(",")))
                .append(']');
        if (subject != null) {
            json.append(",\"subject\":").append(subject);
        }
        return json.append(",\"annotations\":{\"seed\":\"").append(seed).append("\"}}").toString();
    }

    private static String descriptor(String mediaType, Digest digest, long size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static Manifest parse(String json) {
        return ManifestParser.parse(null, json.getBytes(StandardCharsets.UTF_8));
    }
}
