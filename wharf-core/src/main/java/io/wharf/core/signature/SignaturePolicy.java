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
 * A repository's signature policy: pulls need a cosign signature that verifies with one of these keys, or a keyless
 * one whose Fulcio certificate names one of these identities.
 * JSON: {@code {"trustedKeys":[{"name":"ci","publicKey":"-----BEGIN PUBLIC KEY-----…"}],
 * "trustedIdentities":[{"name":"release","issuer":"https://…","subject":"…"}]}}.
 */
public record SignaturePolicy(List<TrustedKey> trustedKeys, List<TrustedIdentity> trustedIdentities) {
    /** Entries in all, keys and identities: each is tried on every pull, so the list stays short. */
    public static final int MAX_KEYS = 20;
    private static final int MAX_PEM_CHARS = 8192;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@:/-]{1,128}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A trusted key: its name (shown in answers) and its public key, PEM and parsed. */
    public record TrustedKey(String name, String pem, PublicKey key) {
    }

    public SignaturePolicy {
        trustedKeys = List.copyOf(trustedKeys);
        trustedIdentities = List.copyOf(trustedIdentities);
    }

    public SignaturePolicy(List<TrustedKey> trustedKeys) {
        this(trustedKeys, List.of());
    }

    /**
     * Parses and checks a policy document: 1–{@value #MAX_KEYS} entries (keys and identities together), names
     * distinct across both lists, each key usable, each identity's expressions compiled.
     */
    public static SignaturePolicy parse(String json, SignatureVerifier verifier) {
        JsonNode root = tree(json);
        JsonNode keys = array(root, "trustedKeys");
        JsonNode ids = array(root, "trustedIdentities");
        if (keys.size() + ids.size() == 0 || keys.size() + ids.size() > MAX_KEYS) {
            throw invalid("trustedKeys and trustedIdentities must list 1 to " + MAX_KEYS + " entries in all");
        }
        Set<String> names = new HashSet<>();
        List<TrustedKey> outKeys = new ArrayList<>();
        for (JsonNode k : keys) {
            outKeys.add(unique(key(k, outKeys.size(), verifier), TrustedKey::name, names));
        }
        List<TrustedIdentity> outIds = new ArrayList<>();
        for (JsonNode i : ids) {
            int index = outIds.size();
            outIds.add(unique(TrustedIdentity.parse(i, index, name(i, "trustedIdentities", index, "identity-")),
                    TrustedIdentity::name, names));
        }
        return new SignaturePolicy(outKeys, outIds);
    }

    private static <T> T unique(T entry, java.util.function.Function<T, String> name, Set<String> names) {
        if (!names.add(name.apply(entry))) {
            throw invalid("two trusted keys or identities are named " + name.apply(entry));
        }
        return entry;
    }

    /** The named array, empty when absent; 400 when it is something else. */
    private static JsonNode array(JsonNode root, String field) {
        JsonNode a = root.get(field);
        if (a != null && !a.isNull() && !a.isArray()) {
            throw invalid(field + " must be an array");
        }
        return a == null || a.isNull() ? JSON.createArrayNode() : a;
    }

    private static String name(JsonNode n, String list, int index, String prefix) {
        String name = n.path("name").isTextual() ? n.get("name").asText() : prefix + (index + 1);
        if (!NAME.matcher(name).matches()) {
            throw invalid(list + "[" + index + "].name must be 1-128 of A-Z a-z 0-9 . _ @ : / -");
        }
        return name;
    }

    private static TrustedKey key(JsonNode k, int index, SignatureVerifier verifier) {
        String name = name(k, "trustedKeys", index, "key-");
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
        if (!trustedIdentities.isEmpty()) {
            ArrayNode ids = root.putArray("trustedIdentities");
            trustedIdentities.forEach(i -> i.write(ids.addObject()));
        }
        return root.toString();
    }
}
