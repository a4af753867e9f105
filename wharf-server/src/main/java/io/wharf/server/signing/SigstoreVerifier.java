package io.wharf.server.signing;

import dev.sigstore.encryption.Keys;
import dev.sigstore.encryption.signers.Verifiers;
import io.wharf.core.signature.SignatureVerifier;
import java.util.Base64;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;

/** sigstore-java's key parsing and signature verification (the verification cosign's Java port does). */
public final class SigstoreVerifier implements SignatureVerifier {
    private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
    private static final String END = "-----END PUBLIC KEY-----";
    private final io.wharf.core.signature.KeylessVerifier keyless;

    public SigstoreVerifier() {
        this(null);
    }

    /** @param keyless the deployment's keyless verifier; null: none (no trusted root configured) */
    public SigstoreVerifier(io.wharf.core.signature.KeylessVerifier keyless) {
        this.keyless = keyless;
    }

    @Override
    public java.util.Optional<io.wharf.core.signature.KeylessVerifier> keyless() {
        return java.util.Optional.ofNullable(keyless);
    }

    @Override
    public PublicKey publicKey(String pem) {
        try {
            PublicKey key = Keys.parseEcdsa(der(pem));
            if (!(key instanceof ECPublicKey)) {
                throw new IllegalArgumentException("not an ECDSA public key");
            }
            return key;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not an ECDSA public key Wharf can read (" + e.getMessage() + ")");
        }
    }

    /** The DER inside {@code -----BEGIN PUBLIC KEY-----} armour (sigstore-java parses DER). */
    private static byte[] der(String pem) {
        int begin = pem.indexOf(BEGIN);
        int end = pem.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("not a PEM public key (" + BEGIN + ")");
        }
        try {
            return Base64.getMimeDecoder().decode(pem.substring(begin + BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the PEM's base64 is malformed");
        }
    }

    @Override
    public boolean verify(PublicKey key, byte[] payload, byte[] signature) {
        try {
            return Verifiers.newVerifier(key).verify(payload, signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a malformed signature verifies nothing
        }
    }
}
