package io.wharf.core.signature;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * A Notary Project JWS envelope (flattened JWS JSON serialization, {@code application/jose+json}), read and checked
 * for form only: what it claims is verified by {@link NotationCheck}.
 *
 * @param alg          the protected {@code alg}
 * @param signingInput {@code ASCII(protected "." payload)}: what the signature covers
 * @param chain        {@code header.x5c}, leaf first
 * @param expiry       {@code io.cncf.notary.expiry}, or null
 * @param target       the payload's {@code targetArtifact} descriptor
 */
record NotationEnvelope(String alg, byte[] signingInput, byte[] signature, List<X509Certificate> chain,
                        Instant signingTime, Instant expiry, JsonNode target) {
    static final String MEDIA_TYPE = "application/jose+json";
    static final String COSE_MEDIA_TYPE = "application/cose";
    static final String PAYLOAD_TYPE = "application/vnd.cncf.notary.payload.v1+json";
    static final String SCHEME = "io.cncf.notary.signingScheme";
    static final String SIGNING_TIME = "io.cncf.notary.signingTime";
    static final String EXPIRY = "io.cncf.notary.expiry";
    /** The only critical headers a {@code notary.x509} signature may need that Wharf processes. */
    private static final Set<String> UNDERSTOOD = Set.of(SCHEME, EXPIRY);
    /** A chain longer than this is no code-signing chain anyone issues. */
    static final int MAX_CHAIN = 10;
    /** Duplicate members refused: a header read one way here and another way by another verifier is no header. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final Base64.Decoder URL = Base64.getUrlDecoder();

    /** Why an envelope is not one Wharf can verify; the message is the refusal's reason. */
    static final class Unusable extends Exception {
        Unusable(String message) {
            super(message, null, false, false);
        }
    }

    static NotationEnvelope parse(byte[] bytes) throws Unusable {
        JsonNode root = json(bytes, "the envelope");
        String protectedText = text(root, "protected");
        String payloadText = text(root, "payload");
        JsonNode header = json(decode(protectedText, "protected"), "the protected header");
        checkHeader(header);
        byte[] signingInput = (protectedText + "." + payloadText).getBytes(StandardCharsets.US_ASCII);
        JsonNode target = json(decode(payloadText, "payload"), "the payload").path("targetArtifact");
        if (!target.isObject() || !target.path("digest").isTextual()) {
            throw new Unusable("the Notation payload has no targetArtifact digest");
        }
        Instant signingTime = time(header, SIGNING_TIME, true);
        Instant expiry = time(header, EXPIRY, false);
        return new NotationEnvelope(header.path("alg").asText(), signingInput, decode(text(root, "signature"), "signature"),
                chain(root.path("header").path("x5c")), signingTime, expiry, target);
    }

    /** The protected header a {@code notary.x509} JWS signature must have, every critical header understood. */
    private static void checkHeader(JsonNode h) throws Unusable {
        if (!PAYLOAD_TYPE.equals(h.path("cty").asText(null))) {
            throw new Unusable("the Notation payload type (cty) is not " + PAYLOAD_TYPE);
        }
        String scheme = h.path(SCHEME).asText("");
        if (!scheme.equals("notary.x509")) {
            throw new Unusable("the Notation signing scheme " + (scheme.isEmpty() ? "is missing" : scheme + " is not verified")
                    + " (Wharf verifies notary.x509)");
        }
        JsonNode crit = h.path("crit");
        List<String> critical = new ArrayList<>();
        crit.forEach(c -> critical.add(c.asText()));
        if (!crit.isArray() || !critical.contains(SCHEME) || h.has(EXPIRY) && !critical.contains(EXPIRY)) {
            throw new Unusable("the Notation signature's crit header must list " + SCHEME + " (and " + EXPIRY + " when set)");
        }
        for (String c : critical) {
            if (!UNDERSTOOD.contains(c) || !h.has(c)) {
                throw new Unusable("the Notation signature has a critical header Wharf does not process (" + c + ")");
            }
        }
    }

    private static List<X509Certificate> chain(JsonNode x5c) throws Unusable {
        if (!x5c.isArray() || x5c.isEmpty() || x5c.size() > MAX_CHAIN) {
            throw new Unusable("the Notation signature's x5c must hold 1 to " + MAX_CHAIN + " certificates");
        }
        List<X509Certificate> out = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (JsonNode c : x5c) {
                byte[] der = Base64.getDecoder().decode(c.asText());
                out.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException e) {
            throw new Unusable("a certificate in the Notation signature's x5c does not parse");
        }
        return out;
    }

    private static Instant time(JsonNode header, String name, boolean required) throws Unusable {
        if (!header.has(name) && !required) {
            return null;
        }
        try {
            return OffsetDateTime.parse(header.path(name).asText("")).toInstant();
        } catch (DateTimeParseException e) {
            throw new Unusable("the Notation signature's " + name + " is not an RFC 3339 time");
        }
    }

    private static String text(JsonNode root, String field) throws Unusable {
        if (!root.path(field).isTextual()) {
            throw new Unusable("the Notation envelope has no " + field);
        }
        return root.get(field).asText();
    }

    private static byte[] decode(String base64url, String what) throws Unusable {
        try {
            return URL.decode(base64url);
        } catch (IllegalArgumentException e) {
            throw new Unusable("the Notation envelope's " + what + " is not base64url");
        }
    }

    private static JsonNode json(byte[] bytes, String what) throws Unusable {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new Unusable("the Notation signature's " + what + " is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new Unusable("the Notation signature's " + what + " is not JSON");
        }
    }
}
