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
 * A repository's signature policy: pulls need a cosign signature that verifies with one of these keys.
 * JSON: {@code {"trustedKeys":[{"name":"ci","publicKey":"-----BEGIN PUBLIC KEY-----…"}]}}.
 */
public record SignaturePolicy(List<TrustedKey> trustedKeys) {
    public static final int MAX_KEYS = 20;
    private static final int MAX_PEM_CHARS = 8192;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@:/-]{1,128}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A trusted key: its name (shown in answers) and its public key, PEM and parsed. */
    public record TrustedKey(String name, String pem, PublicKey key) {
    }

    public SignaturePolicy {
        trustedKeys = List.copyOf(trustedKeys);
    }

    /** Parses and checks a policy document: 1–{@value #MAX_KEYS} keys, distinct names, each key usable. */
    public static SignaturePolicy parse(String json, SignatureVerifier verifier) {
        JsonNode keys = tree(json).get("trustedKeys");
        if (keys == null || !keys.isArray() || keys.isEmpty() || keys.size() > MAX_KEYS) {
            throw invalid("trustedKeys must list 1 to " + MAX_KEYS + " keys");
        }
        List<TrustedKey> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode k : keys) {
            TrustedKey key = key(k, out.size(), verifier);
            if (!names.add(key.name())) {
                throw invalid("two trusted keys are named " + key.name());
            }
            out.add(key);
        }
        return new SignaturePolicy(out);
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
        return root.toString();
    }
}
