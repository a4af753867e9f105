package io.wharf.server.signing;

import dev.sigstore.encryption.certificates.Certificates;
import dev.sigstore.encryption.signers.Verifiers;
import dev.sigstore.trustroot.SigstoreTrustedRoot;
import io.wharf.core.signature.KeylessVerifier;
import io.wharf.core.signature.SignatureLayer;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * cosign's keyless verification, offline, of a signature layer (certificate, chain and bundle annotations) against
 * the deployment's trusted root, in the order {@code cosign verify} checks: the Rekor bundle, that it logged this
 * signature and certificate, the time against the certificate's validity, the chain to Fulcio, the signature itself.
 * The identity is matched by the caller, against the policy.
 */
final class SigstoreKeyless implements KeylessVerifier {
    private final SigstoreTrustedRoot root;

    SigstoreKeyless(SigstoreTrustedRoot root) {
        this.root = root;
    }

    @Override
    public CertifiedSigner verify(byte[] payload, SignatureLayer layer) throws Refused {
        byte[] signature = decode(layer.signature());
        CertPath path = FulcioCertificates.path(layer.certificate(), layer.chain());
        X509Certificate leaf = Certificates.getLeaf(path);
        RekorBundle bundle = RekorBundle.parse(layer.bundle());
        bundle.verifySignedEntryTimestamp(root.getTLogs());
        bundle.requireEntryOf(payload, signature, leaf);
        Instant signedAt = bundle.integratedTime();
        requireValidAt(leaf, signedAt);
        FulcioCertificates.validate(path, root.getCAs(), signedAt);
        FulcioCertificates.requireCodeSigning(leaf);
        if (!verifies(leaf, payload, signature)) {
            throw new Refused("the signature does not verify with the certificate's key");
        }
        return FulcioCertificates.identity(leaf);
    }

    /** Rekor's time is the proof the short-lived certificate was used while valid. */
    private static void requireValidAt(X509Certificate leaf, Instant signedAt) throws Refused {
        try {
            leaf.checkValidity(Date.from(signedAt));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new Refused("signed outside the certificate's validity (logged at " + signedAt + ", valid "
                    + leaf.getNotBefore().toInstant() + " to " + leaf.getNotAfter().toInstant() + ")");
        }
    }

    private static boolean verifies(X509Certificate leaf, byte[] payload, byte[] signature) {
        try {
            return Verifiers.newVerifier(leaf.getPublicKey()).verify(payload, signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] decode(String base64) throws Refused {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new Refused("the signature annotation is not base64");
        }
    }
}
