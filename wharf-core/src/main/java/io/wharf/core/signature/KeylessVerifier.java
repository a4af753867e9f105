package io.wharf.core.signature;

import java.util.List;

/**
 * Keyless (Fulcio certificate + Rekor bundle) verification of one cosign signature, against the deployment's Sigstore
 * trusted root; the server provides sigstore-java's (the domain names no library). Which identities are trusted is
 * the policy's business ({@link KeylessCheck}), not the verifier's.
 */
public interface KeylessVerifier {

    /**
     * The identity Fulcio certified for the signer, once the certificate chains to a trusted CA, the bundle's
     * SignedEntryTimestamp verifies with a trusted log's key, the logged entry is this signature over this payload with
     * this certificate, it was logged inside the certificate's validity, and the signature verifies with the
     * certificate's key.
     *
     * @throws Refused with the reason when any of that does not hold
     */
    CertifiedSigner verify(byte[] payload, SignatureLayer layer) throws Refused;

    /** The OIDC issuer (Fulcio's extension) and the subjects (the certificate's SANs) of a verified certificate. */
    record CertifiedSigner(String issuer, List<String> subjects) {
        public CertifiedSigner {
            subjects = List.copyOf(subjects);
        }
    }

    /** A keyless signature that does not verify; the message says why (shown in the pull's 403). */
    final class Refused extends Exception {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
