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
 * A repository's signature policy: pulls need a cosign signature that verifies with one of these keys, a keyless cosign
 * signature whose Fulcio certificate names one of these identities, or a Notation signature whose certificate chains
 * to one of the trusted certificates with a trusted identity.
 * JSON: {@code {"trustedKeys":[{"name":"ci","publicKey":"-----BEGIN PUBLIC KEY-----…"}],
 * "trustedIdentities":[{"name":"release","issuer":"https://…","subject":"…"}],
 * "trustedCertificates":[{"name":"corp","certificates":"-----BEGIN CERTIFICATE-----…","identities":["x509.subject: CN=ci"]}]}}.
 */
public record SignaturePolicy(List<TrustedKey> trustedKeys, List<TrustedIdentity> trustedIdentities,
                              List<TrustedCertificates> trustedCertificates) {
    /** Entries in all, keys, identities and certificate entries: each may be tried on every pull, so the list stays short. */
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
        trustedCertificates = List.copyOf(trustedCertificates);
    }

    /** A policy of keys only. */
    public SignaturePolicy(List<TrustedKey> trustedKeys) {
        this(trustedKeys, List.of(), List.of());
    }

    /**
     * Parses and checks a policy document: 1–{@value #MAX_KEYS} entries (keys, identities and certificate entries
     * together), names distinct across the lists, each key and certificate usable, each identity's expressions compiled.
     */
    public static SignaturePolicy parse(String json, SignatureVerifier verifier) {
        JsonNode root = tree(json);
        JsonNode keys = array(root, "trustedKeys");
        JsonNode ids = array(root, "trustedIdentities");
        JsonNode certificates = array(root, "trustedCertificates");
        int entries = keys.size() + ids.size() + certificates.size();
        if (entries == 0 || entries > MAX_KEYS) {
            throw invalid("trustedKeys, trustedIdentities and trustedCertificates must list 1 to " + MAX_KEYS
                    + " entries in all");
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
        List<TrustedCertificates> outCertificates = new ArrayList<>();
        for (JsonNode c : certificates) {
            outCertificates.add(unique(certificate(c, outCertificates.size()), TrustedCertificates::name, names));
        }
        return new SignaturePolicy(outKeys, outIds, outCertificates);
    }

    /** The entry whose name verified a signature, if it is a certificate entry. */
    public java.util.Optional<TrustedCertificates> certificateEntry(String name) {
        return trustedCertificates.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static TrustedCertificates certificate(JsonNode c, int index) {
        String name = name(c, "trustedCertificates", index, "certificates-");
        try {
            return TrustedCertificates.parse(name, c);
        } catch (IllegalArgumentException e) {
            throw invalid("trustedCertificates[" + index + "] (" + name + "): " + e.getMessage());
        }
    }

    private static <T> T unique(T entry, java.util.function.Function<T, String> name, Set<String> names) {
        if (!names.add(name.apply(entry))) {
            throw invalid("two trusted entries are named " + name.apply(entry));
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
        if (!trustedCertificates.isEmpty()) {
            ArrayNode certs = root.putArray("trustedCertificates");
            trustedCertificates.forEach(c -> c.write(certs.addObject()));
        }
        return root.toString();
    }
}
