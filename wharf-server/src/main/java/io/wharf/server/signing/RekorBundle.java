package io.wharf.server.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sigstore.encryption.certificates.Certificates;
import dev.sigstore.encryption.signers.Verifiers;
import dev.sigstore.rekor.client.RekorEntry;
import dev.sigstore.rekor.client.RekorTypes;
import dev.sigstore.rekor.hashedRekord.v0_0_1.HashedRekord;
import dev.sigstore.trustroot.TransparencyLog;
import io.wharf.core.signature.KeylessVerifier.Refused;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * cosign's {@code dev.sigstore.cosign/bundle} annotation: Rekor's entry ({@code Payload}: body, integratedTime,
 * logIndex, logID) with its SignedEntryTimestamp. It holds no inclusion proof, so sigstore-java's
 * {@code RekorVerifier.verifyEntry} (which requires one) cannot take it: the SET is checked here with sigstore-java's
 * pieces (the entry's canonical signable content, the trusted root's log lookup, its verifiers).
 */
record RekorBundle(RekorEntry entry, String signedEntryTimestamp) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_CHARS = 64 << 10;

    static RekorBundle parse(String json) throws Refused {
        if (json == null) {
            throw new Refused("the keyless signature has no Rekor bundle (dev.sigstore.cosign/bundle)");
        }
        try {
            JsonNode root = json.length() > MAX_CHARS ? null : JSON.readTree(json);
            JsonNode p = root == null ? null : root.get("Payload");
            if (p == null || !root.path("SignedEntryTimestamp").isTextual() || !p.path("body").isTextual()
                    || !p.path("integratedTime").canConvertToLong() || !p.path("logIndex").canConvertToLong()
                    || !p.path("logID").isTextual()) {
                throw new Refused("the Rekor bundle is malformed");
            }
            return new RekorBundle(new LoggedEntry(p.get("body").asText(), p.get("integratedTime").asLong(),
                    p.get("logID").asText(), p.get("logIndex").asLong()), root.get("SignedEntryTimestamp").asText());
        } catch (IOException e) {
            throw new Refused("the Rekor bundle is malformed");
        }
    }

    Instant integratedTime() {
        return entry.getIntegratedTimeInstant();
    }

    /** The SET must verify with the key of the trusted root's log whose id the bundle names, valid at the time. */
    void verifySignedEntryTimestamp(List<TransparencyLog> logs) throws Refused {
        Optional<TransparencyLog> log;
        try {
            log = TransparencyLog.find(logs, HexFormat.of().parseHex(entry.getLogID()), integratedTime());
        } catch (IllegalArgumentException e) {
            throw new Refused("the Rekor bundle's logID is malformed");
        }
        if (log.isEmpty()) {
            throw new Refused("the Rekor bundle's log (" + entry.getLogID() + ") is not in the trusted root");
        }
        if (!verifies(log.get())) {
            throw new Refused("the Rekor bundle's SignedEntryTimestamp does not verify with the log's key");
        }
    }

    private boolean verifies(TransparencyLog log) {
        try {
            return Verifiers.newVerifier(log.getPublicKey().toJavaPublicKey()).verify(entry.getSignableContent(),
                    Base64.getDecoder().decode(signedEntryTimestamp));
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The logged hashedrekord must be this signature, over this payload's SHA-256, by this certificate. */
    void requireEntryOf(byte[] payload, byte[] signature, X509Certificate leaf) throws Refused {
        HashedRekord rekord;
        try {
            rekord = RekorTypes.getHashedRekord(entry);
        } catch (Exception e) { // the type check throws checked and unchecked alike
            throw new Refused("the Rekor bundle's entry is not a hashedrekord");
        }
        if (!sameSignature(rekord, signature) || !sameDigest(rekord, payload)) {
            throw new Refused("the Rekor bundle's entry is not this signature of this payload");
        }
        if (!sameCertificate(rekord, leaf)) {
            throw new Refused("the Rekor bundle's entry names another certificate");
        }
    }

    private static boolean sameSignature(HashedRekord rekord, byte[] signature) {
        String logged = rekord.getSignature() == null ? null : rekord.getSignature().getContent();
        return logged != null && Arrays.equals(Base64.getDecoder().decode(logged), signature);
    }

    private static boolean sameDigest(HashedRekord rekord, byte[] payload) {
        try {
            String logged = rekord.getData().getHash().getValue();
            return "sha256".equals(rekord.getData().getHash().getAlgorithm().toString()) && logged.equalsIgnoreCase(
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean sameCertificate(HashedRekord rekord, X509Certificate leaf) {
        try {
            byte[] pem = Base64.getDecoder().decode(rekord.getSignature().getPublicKey().getContent());
            return Arrays.equals(Certificates.fromPem(new String(pem, StandardCharsets.US_ASCII)).getEncoded(),
                    leaf.getEncoded());
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * The logged entry as sigstore-java reads one (its canonical signable content, its hashedrekord body), without
     * the inclusion proof its own entries must carry and the bundle does not have.
     */
    private record LoggedEntry(String body, long integratedTime, String logId, long logIndex) implements RekorEntry {
        @Override
        public String getBody() {
            return body;
        }

        @Override
        public long getIntegratedTime() {
            return integratedTime;
        }

        @Override
        public String getLogID() {
            return logId;
        }

        @Override
        public long getLogIndex() {
            return logIndex;
        }

        @Override
        public Verification getVerification() {
            return null; // the SET travels beside the entry; there is no inclusion proof
        }
    }
}
