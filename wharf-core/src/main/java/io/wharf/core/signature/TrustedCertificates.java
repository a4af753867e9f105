package io.wharf.core.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * A trust store and the identities it may sign as, after the Notary Project trust policy: a Notation signature passes
 * when its chain leads to one of {@code certificates} and its leaf's subject matches one of {@code identities}
 * (empty: any leaf that chains to the store).
 *
 * @param pem        the certificates as given (PEM), kept for {@code toJson()}
 * @param identities the identities as given ({@code x509.subject: …} or {@code *})
 */
public record TrustedCertificates(String name, String pem, List<X509Certificate> certificates, List<String> identities,
                                  X509Identities matcher) {
    static final int MAX_PEM_CHARS = 64 << 10;
    static final int MAX_CERTIFICATES = 20;
    static final int MAX_IDENTITIES = 20;

    public TrustedCertificates {
        certificates = List.copyOf(certificates);
        identities = List.copyOf(identities);
    }

    /** Parses one {@code trustedCertificates} entry; IllegalArgumentException naming what is wrong. */
    static TrustedCertificates parse(String name, JsonNode entry) {
        JsonNode pemNode = entry.path("certificates");
        if (!pemNode.isTextual() || pemNode.asText().length() > MAX_PEM_CHARS) {
            throw new IllegalArgumentException("certificates must be PEM certificates (at most " + MAX_PEM_CHARS + " characters)");
        }
        String pem = pemNode.asText();
        List<String> identities = identities(entry.path("identities"));
        return new TrustedCertificates(name, pem, certificates(pem), identities, X509Identities.parse(identities));
    }

    private static List<String> identities(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_IDENTITIES) {
            throw new IllegalArgumentException("identities must be a list of at most " + MAX_IDENTITIES + " strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual()) {
                throw new IllegalArgumentException("identities must be strings");
            }
            out.add(n.asText());
        }
        return out;
    }

    /** Every certificate in the PEM text; at least one, at most {@value #MAX_CERTIFICATES}. */
    static List<X509Certificate> certificates(String pem) {
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException("certificates must be PEM (-----BEGIN CERTIFICATE-----)");
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            factory.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .forEach(c -> out.add((X509Certificate) c));
            if (out.isEmpty() || out.size() > MAX_CERTIFICATES) {
                throw new IllegalArgumentException("certificates must hold 1 to " + MAX_CERTIFICATES + " certificates");
            }
            return out;
        } catch (CertificateException | RuntimeException e) {
            throw e instanceof IllegalArgumentException i ? i
                    : new IllegalArgumentException("a certificate does not parse (" + e.getMessage() + ")");
        }
    }

    void write(ObjectNode node) {
        node.put("name", name).put("certificates", pem);
        identities.forEach(node.putArray("identities")::add);
    }
}
