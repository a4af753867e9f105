package io.wharf.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.wharf.core.error.DigestInvalidException;
import io.wharf.core.error.ManifestInvalidException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses and validates the four manifest media types. The media type comes from the body's
 * {@code mediaType} field, else from the request's Content-Type (podman pushes OCI manifests
 * without the field); with neither, nothing says how to read the manifest, so it is refused.
 *
 * <p>A push is read strictly, as every client reading it back will: UTF-8 without a byte order mark, one
 * JSON object with no member named twice and nothing after it, and the descriptor list its type requires ({@code layers} or
 * {@code manifests}). Manifests stored before these checks are re-read with {@link #parseStored}.
 */
public final class ManifestParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * Duplicate member names are refused too: JSON leaves their meaning open, and two readers that pick
     * different copies (first or last) would see different content under one digest.
     */
    private static final ObjectReader STRICT = JSON.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .with(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private ManifestParser() {
    }

    /** A manifest being pushed; {@code contentType} is the request's (or the caller's declared) media type. */
    public static Manifest parse(String contentType, byte[] content) {
        return parse(strictTree(content), MediaTypes.essence(contentType), content, true);
    }

    /** A manifest as stored, with its recorded media type: only what reading it needs is checked. */
    public static Manifest parseStored(String mediaType, byte[] content) {
        return parse(readTree(content), mediaType, content, false);
    }

    private static Manifest parse(JsonNode root, String contentType, byte[] content, boolean strict) {
        String mediaType = mediaTypeOf(root, contentType, strict);
        requireSchemaVersion2(root);
        Digest digest = Digest.sha256Of(content);
        Map<String, String> annotations = stringMap(root.get("annotations"), "annotations");
        Descriptor subject = root.hasNonNull("subject") ? descriptor(root.get("subject"), "subject") : null;
        String artifactType = optionalText(root, "artifactType");
        if (MediaTypes.isIndex(mediaType)) {
            List<Descriptor> children = descriptors(root.get("manifests"), "manifests", strict);
            return new Manifest(mediaType, digest, content, artifactType, null, List.of(), children, subject, annotations);
        }
        if (!root.hasNonNull("config")) {
            throw new ManifestInvalidException("manifest has no config descriptor", null);
        }
        Descriptor config = descriptor(root.get("config"), "config");
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(config);
        blobs.addAll(descriptors(root.get("layers"), "layers", strict));
        return new Manifest(mediaType, digest, content, artifactType, config, List.copyOf(blobs), List.of(), subject, annotations);
    }

    /** Whether the manifest names its own media type (ECR requires one from the caller otherwise). */
    public static boolean declaresMediaType(byte[] content) {
        return readTree(content).hasNonNull("mediaType");
    }

    /** UTF-8 (Jackson would also guess UTF-16 and skip a byte order mark), then one JSON value and nothing more. */
    private static JsonNode strictTree(byte[] content) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new ManifestInvalidException("manifest is not UTF-8", null);
        }
        if (text.startsWith("\uFEFF")) {
            throw new ManifestInvalidException("manifest starts with a byte order mark; JSON text must not", null);
        }
        try {
            return object(STRICT.readTree(text));
        } catch (JsonProcessingException e) {
            throw new ManifestInvalidException("manifest is not valid JSON " + JsonSyntax.describe(e), null);
        }
    }

    private static JsonNode readTree(byte[] content) {
        try {
            return object(JSON.readTree(content));
        } catch (JsonProcessingException e) {
            throw new ManifestInvalidException("manifest is not valid JSON " + JsonSyntax.describe(e), null);
        } catch (IOException e) {
            throw new ManifestInvalidException("manifest could not be read", null);
        }
    }

    private static JsonNode object(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new ManifestInvalidException("manifest is not a JSON object", null);
        }
        return root;
    }

    private static String mediaTypeOf(JsonNode root, String contentType, boolean strict) {
        String declared = optionalText(root, "mediaType");
        if (declared != null) {
            if (!MediaTypes.MANIFESTS.contains(declared)) {
                throw new ManifestInvalidException("unsupported manifest media type", declared);
            }
            if (contentType != null && MediaTypes.MANIFESTS.contains(contentType) && !contentType.equals(declared)) {
                throw new ManifestInvalidException("mediaType does not match Content-Type", declared);
            }
            return declared;
        }
        if (contentType != null && MediaTypes.MANIFESTS.contains(contentType)) {
            return contentType;
        }
        if (MediaTypes.DOCKER_SCHEMA1.equals(contentType) || MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(contentType)) {
            throw new ManifestInvalidException("Docker schema 1 manifests are not supported", contentType);
        }
        if (strict) {
            throw new ManifestInvalidException("manifest has no mediaType and its Content-Type names no manifest type",
                    contentType);
        }
        return root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
    }

    private static void requireSchemaVersion2(JsonNode root) {
        JsonNode v = root.get("schemaVersion");
        if (v == null || !v.isInt() || v.intValue() != 2) {
            throw new ManifestInvalidException("schemaVersion must be 2", null);
        }
    }

    /** A descriptor list; {@code required}: it must be there, as an array (an empty one is fine). */
    private static List<Descriptor> descriptors(JsonNode array, String field, boolean required) {
        if ((array == null || array.isNull()) && required) {
            throw new ManifestInvalidException(field + " must be an array", null);
        }
        if (array == null || array.isNull()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw new ManifestInvalidException(field + " must be an array", null);
        }
        List<Descriptor> out = new ArrayList<>(array.size());
        for (JsonNode node : array) {
            out.add(descriptor(node, field));
        }
        return List.copyOf(out);
    }

    static Descriptor descriptor(JsonNode node, String field) {
        if (!node.isObject()) {
            throw new ManifestInvalidException(field + ": descriptor must be an object", null);
        }
        String mediaType = optionalText(node, "mediaType");
        if (mediaType == null || mediaType.isBlank()) {
            throw new ManifestInvalidException(field + ": descriptor has no mediaType", null);
        }
        JsonNode size = node.get("size");
        if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.longValue() < 0) {
            throw new ManifestInvalidException(field + ": descriptor has no valid size", null);
        }
        Digest digest;
        try {
            digest = Digest.parse(optionalText(node, "digest"));
        } catch (DigestInvalidException e) {
            throw new ManifestInvalidException(field + ": descriptor has an invalid digest", e.detail());
        }
        return new Descriptor(mediaType, digest, size.longValue(), optionalText(node, "artifactType"),
                stringMap(node.get("annotations"), field + ".annotations"), urls(node.get("urls"), field));
    }

    private static List<String> urls(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ManifestInvalidException(field + ".urls must be an array", null);
        }
        List<String> out = new ArrayList<>();
        node.forEach(u -> out.add(u.asText()));
        return out;
    }

    private static Map<String, String> stringMap(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new ManifestInvalidException(field + " must be an object", null);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new ManifestInvalidException(field + " values must be strings", e.getKey());
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ManifestInvalidException(field + " must be a string", null);
        }
        return v.textValue();
    }
}
