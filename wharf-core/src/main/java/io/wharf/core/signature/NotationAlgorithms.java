package io.wharf.core.signature;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Map;

/**
 * The Notary Project's signature algorithms, through the JDK: the signing key's type and size decide the algorithm,
 * and the JWS {@code alg} must name that one (no algorithm substitution).
 */
final class NotationAlgorithms {
    /** JWS alg by key: RSA 2048/3072/4096 → PS256/384/512, EC P-256/384/521 → ES256/384/512. */
    private static final Map<String, String> ALG_BY_KEY = Map.of("RSA2048", "PS256", "RSA3072", "PS384", "RSA4096", "PS512",
            "EC256", "ES256", "EC384", "ES384", "EC521", "ES512");

    private NotationAlgorithms() {
    }

    /** The alg the spec requires for this key; null when the key is of no supported type or size. */
    static String algFor(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return ALG_BY_KEY.get("RSA" + rsa.getModulus().bitLength());
        }
        if (key instanceof ECPublicKey ec) {
            return ALG_BY_KEY.get("EC" + ec.getParams().getCurve().getField().getFieldSize());
        }
        return null;
    }

    /** Whether {@code signature} (JWS form: raw r||s for ECDSA) is {@code key}'s over {@code input} with {@code alg}. */
    static boolean verify(String alg, PublicKey key, byte[] input, byte[] signature) {
        try {
            Signature s = signature(alg);
            s.initVerify(key);
            s.update(input);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed signature verifies nothing
        }
    }

    private static Signature signature(String alg) throws GeneralSecurityException {
        String bits = alg.substring(2);
        if (alg.startsWith("ES")) {
            // JWS carries ECDSA signatures as r||s (RFC 7518 3.4), the JDK's P1363 format
            return Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
        }
        Signature pss = Signature.getInstance("RSASSA-PSS");
        String hash = "SHA-" + bits;
        // RFC 7518 3.5: MGF1 with the same hash, salt as long as the hash
        pss.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), Integer.parseInt(bits) / 8, 1));
        return pss;
    }
}
