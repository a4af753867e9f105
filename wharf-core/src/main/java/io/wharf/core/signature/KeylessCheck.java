package io.wharf.core.signature;

import io.wharf.core.error.ParameterInvalidException;
import io.wharf.core.model.Digest;
import io.wharf.core.service.RepoKey;
import java.util.List;
import java.util.Optional;

/**
 * The policy's trusted identities on a pull: cosign's keyless signatures (a Fulcio certificate and a Rekor bundle in
 * the layer's annotations), verified as {@code cosign verify --certificate-identity … --certificate-oidc-issuer …}
 * does offline. Tried only when no trusted key let the image through.
 */
final class KeylessCheck {
    private final CosignCheck cosign;
    private final KeylessVerifier verifier;

    /** @param verifier null: the deployment has no trusted root, so no identity can be trusted */
    KeylessCheck(CosignCheck cosign, KeylessVerifier verifier) {
        this.cosign = cosign;
        this.verifier = verifier;
    }

    /** A policy with identities is useless without a trusted root: refused when set, not discovered on pulls. */
    void requireTrustedRoot(SignaturePolicy policy) {
        if (verifier == null && !policy.trustedIdentities().isEmpty()) {
            throw new ParameterInvalidException("invalid signature policy: trustedIdentities need keyless verification,"
                    + " which needs a Sigstore trusted root: the registry has none configured (signatures.trusted-root)", null);
        }
    }

    /** {@code byKey} when it allows or the policy trusts no identity; else the keyless verdict. */
    Verdict verdict(RepoKey key, Digest image, List<ImageSignature> found, SignaturePolicy policy, Verdict byKey) {
        if (byKey.allowed() || policy.trustedIdentities().isEmpty()) {
            return byKey;
        }
        List<SignatureLayer> certified = found.stream().filter(s -> s.kind().isCosign())
                .flatMap(s -> s.layers().stream())
                .filter(l -> l.signature() != null && l.certificate() != null).toList();
        if (certified.isEmpty()) {
            return policy.trustedKeys().isEmpty() && found.stream().anyMatch(s -> s.kind().isCosign())
                    ? Verdict.refused("no signature carries a certificate (keyless signing: dev.sigstore.cosign/certificate)")
                    : byKey;
        }
        if (verifier == null) {
            return Verdict.refused("keyless verification is not configured (the registry has no Sigstore trusted root)");
        }
        return firstTrusted(key, image, certified, policy);
    }

    private Verdict firstTrusted(RepoKey key, Digest image, List<SignatureLayer> certified, SignaturePolicy policy) {
        Verdict first = null;
        for (SignatureLayer layer : certified) {
            Verdict v = check(key, image, layer, policy);
            if (v.allowed()) {
                return v;
            }
            first = first == null ? v : first;
        }
        return certified.size() == 1 ? first : Verdict.refused("none of " + certified.size()
                + " keyless signatures is valid for a trusted identity; the first: " + first.reason());
    }

    private Verdict check(RepoKey key, Digest image, SignatureLayer layer, SignaturePolicy policy) {
        Optional<byte[]> payload = cosign.payload(key, layer);
        Optional<Digest> named = payload.flatMap(SimpleSigning::manifestDigest);
        if (named.isEmpty()) {
            return Verdict.refused("the signature's payload is not a simple-signing document");
        }
        if (!named.get().equals(image)) {
            return Verdict.refused("the signature's payload names another digest (" + named.get() + ")");
        }
        try {
            return identity(verifier.verify(payload.get(), layer), policy);
        } catch (KeylessVerifier.Refused e) {
            return Verdict.refused(e.getMessage());
        }
    }

    private static Verdict identity(KeylessVerifier.CertifiedSigner signer, SignaturePolicy policy) {
        return policy.trustedIdentities().stream().filter(i -> i.matches(signer.issuer(), signer.subjects()))
                .findFirst().map(i -> Verdict.trustedIdentity(i.name()))
                .orElseGet(() -> Verdict.refused("the certificate's identity (issuer " + signer.issuer() + ", subject "
                        + String.join(", ", signer.subjects()) + ") matches no trusted identity"));
    }
}
