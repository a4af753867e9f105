package io.wharf.scan.catalog.lang;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Lenient JSON helpers for package manifests: bad JSON is "nothing", never an exception. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The parsed tree, or null when the bytes are not a JSON object. */
    static JsonNode object(byte[] bytes) {
        try {
            JsonNode node = MAPPER.readTree(bytes);
            return node != null && node.isObject() ? node : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A text field, or null when absent or not a non-blank string. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText().strip() : null;
    }

    /** npm's {@code license} (string or {@code {type}}) or legacy {@code licenses[]}, joined with " OR ". */
    static String npmLicense(JsonNode pkg) {
        JsonNode l = pkg.get("license");
        if (l != null && l.isTextual()) {
            return Bounded.blank(l.asText()) ? null : l.asText().strip();
        }
        if (l != null && l.isObject()) {
            return text(l, "type");
        }
        JsonNode ls = pkg.get("licenses");
        if (ls == null || !ls.isArray()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (JsonNode e : ls) {
            String t = e.isTextual() ? e.asText() : e.isObject() ? text(e, "type") : null;
            if (!Bounded.blank(t)) {
                sb.append(sb.isEmpty() ? "" : " OR ").append(t.strip());
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }
}
