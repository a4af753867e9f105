package io.wharf.server.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What pages read from manifest and config bytes: pretty-printed text and the platforms of an index. */
final class ManifestJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ManifestJson() {
    }

    /** Indented JSON; the bytes as text when they are not JSON. */
    static String pretty(byte[] bytes) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(bytes));
        } catch (IOException e) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** {@code os/architecture[/variant]} of each child of an index; empty for anything else. */
    static List<String> platforms(byte[] manifest) {
        List<String> out = new ArrayList<>();
        try {
            JsonNode children = JSON.readTree(manifest).path("manifests");
            for (JsonNode child : children) {
                String p = platform(child.path("platform"));
                if (p != null && !out.contains(p)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            return List.of(); // stored manifests were validated; nothing to show if one does not parse
        }
        return out;
    }

    /** The platform of one index entry; null when it has none (attestations, artifacts). */
    static String platform(JsonNode platform) {
        String os = platform.path("os").asText("");
        String arch = platform.path("architecture").asText("");
        if (os.isEmpty() || arch.isEmpty() || os.equals("unknown")) {
            return null;
        }
        String variant = platform.path("variant").asText("");
        return os + "/" + arch + (variant.isEmpty() ? "" : "/" + variant);
    }
}
