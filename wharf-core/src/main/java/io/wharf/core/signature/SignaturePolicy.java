package io.wharf.core.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wharf.core.error.ParameterInvalidException;
import java.io.IOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A repository's signature policy: pulls need a cosign signature that verifies with one of these keys, or a Notation
 * signature whose certificate chains to one of the trusted certificates with a trusted identity.
 * JSON: {@code {"trustedKeys":[{"name":"ci","publicKey":"-----BEGIN PUBLIC KEY-----…"}],
 * "trustedCertificates":[{"name":"corp","certificates":"-----BEGIN CERTIFICATE-----…","identities":["x509.subject: CN=ci"]}]}}.
 */
public record SignaturePolicy(List<TrustedKey> trustedKeys, List<TrustedCertificates> trustedCertificates) {
    public static final int MAX_KEYS = 20;
    /** Keys and certificate entries together: each pull may try every entry. */
    public static final int MAX_ENTRIES = 20;
    private static final int MAX_PEM_CHARS = 8192;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@:/-]{1,128}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A trusted key: its name (shown in answers) and its public key, PEM and parsed. */
    public record TrustedKey(String name, String pem, PublicKey key) {
    }

    public SignaturePolicy {
        trustedKeys = List.copyOf(trustedKeys);
        trustedCertificates = List.copyOf(trustedCertificates);
    }

    /** A policy of keys only. */
    public SignaturePolicy(List<TrustedKey> trustedKeys) {
        this(trustedKeys, List.of());
    }

    /**
     * Parses and checks a policy document: 1–{@value #MAX_ENTRIES} keys and certificate entries, names distinct across
     * both lists, every key and certificate usable.
     */
    public static SignaturePolicy parse(String json, SignatureVerifier verifier) {
        JsonNode root = tree(json);
        JsonNode keys = list(root, "trustedKeys");
        JsonNode certificates = list(root, "trustedCertificates");
        int entries = keys.size() + certificates.size();
        if (entries == 0 || entries > MAX_ENTRIES) {
            throw invalid("trustedKeys and trustedCertificates must list 1 to " + MAX_ENTRIES + " entries together");
        }
        List<TrustedKey> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode k : keys) {
            out.add(unique(key(k, out.size(), verifier), TrustedKey::name, names));
        }
        List<TrustedCertificates> trusted = new ArrayList<>();
        for (JsonNode c : certificates) {
            trusted.add(unique(certificate(c, trusted.size()), TrustedCertificates::name, names));
        }
        return new SignaturePolicy(out, trusted);
    }

    /** The entry whose name verified a signature, if it is a certificate entry. */
    public java.util.Optional<TrustedCertificates> certificateEntry(String name) {
        return trustedCertificates.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static <T> T unique(T entry, java.util.function.Function<T, String> name, Set<String> names) {
        if (!names.add(name.apply(entry))) {
            throw invalid("two trusted entries are named " + name.apply(entry));
        }
        return entry;
    }

    /** An optional array member (absent: empty). */
    private static JsonNode list(JsonNode root, String field) {
        JsonNode node = root.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return JSON.createArrayNode();
        }
        if (!node.isArray()) {
            throw invalid(field + " must be a list");
        }
        return node;
    }

    private static TrustedCertificates certificate(JsonNode c, int index) {
        String name = c.path("name").isTextual() ? c.get("name").asText() : "certificates-" + (index + 1);
        if (!NAME.matcher(name).matches()) {
            throw invalid("trustedCertificates[" + index + "].name must be 1-128 of A-Z a-z 0-9 . _ @ : / -");
        }
        try {
            return TrustedCertificates.parse(name, c);
        } catch (IllegalArgumentException e) {
            throw invalid("trustedCertificates[" + index + "] (" + name + "): " + e.getMessage());
        }
    }

    private static TrustedKey key(JsonNode k, int index, SignatureVerifier verifier) {
        String name = k.path("name").isTextual() ? k.get("name").asText() : "key-" + (index + 1);
        if (!NAME.matcher(name).matches()) {
            throw invalid("trustedKeys[" + index + "].name must be 1-128 of A-Z a-z 0-9 . _ @ : / -");
        }
        if (!k.path("publicKey").isTextual() || k.get("publicKey").asText().length() > MAX_PEM_CHARS) {
            throw invalid("trustedKeys[" + index + "].publicKey must be a PEM public key");
        }
        String pem = k.get("publicKey").asText();
        try {
            return new TrustedKey(name, pem, verifier.publicKey(pem));
        } catch (IllegalArgumentException e) {
            throw invalid("trustedKeys[" + index + "].publicKey: " + e.getMessage());
        }
    }

    private static JsonNode tree(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            if (root == null || !root.isObject()) {
                throw invalid("the signature policy must be a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw invalid("the signature policy is not valid JSON");
        }
    }

    private static ParameterInvalidException invalid(String message) {
        return new ParameterInvalidException("invalid signature policy: " + message, null);
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode keys = root.putArray("trustedKeys");
        trustedKeys.forEach(k -> keys.addObject().put("name", k.name()).put("publicKey", k.pem()));
        if (!trustedCertificates.isEmpty()) {
            ArrayNode certificates = root.putArray("trustedCertificates");
            trustedCertificates.forEach(c -> c.write(certificates.addObject()));
        }
        return root.toString();
    }
}
