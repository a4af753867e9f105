package io.wharf.core.signature;

import java.security.PublicKey;

/** Public keys and signature checks; the server provides sigstore-java's (the domain names no library). */
public interface SignatureVerifier {

    /** A PEM public key (SubjectPublicKeyInfo); IllegalArgumentException, with the reason, when it is unusable. */
    PublicKey publicKey(String pem);

    /** Whether {@code signature} (ASN.1 DER for ECDSA, as cosign writes it) is {@code key}'s over {@code payload}. */
    boolean verify(PublicKey key, byte[] payload, byte[] signature);

    /** Keyless verification against the deployment's Sigstore trusted root; empty when none is configured. */
    default java.util.Optional<KeylessVerifier> keyless() {
        return java.util.Optional.empty();
    }
}
