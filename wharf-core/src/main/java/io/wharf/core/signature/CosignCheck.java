package io.wharf.core.signature;

import io.wharf.core.model.Digest;
import io.wharf.core.service.BlobService;
import io.wharf.core.service.RepoKey;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Verifies cosign signatures as {@code cosign verify --key} does: the simple-signing payload must name the image's
 * digest, and the signature over the payload's bytes must verify with a trusted key.
 */
final class CosignCheck {
    /** A simple-signing payload is a few hundred bytes; anything far larger is not one. */
    private static final int MAX_PAYLOAD_BYTES = 64 << 10;

    private final BlobService blobs;
    private final SignatureVerifier verifier;

    CosignCheck(BlobService blobs, SignatureVerifier verifier) {
        this.blobs = blobs;
        this.verifier = verifier;
    }

    Verdict verdict(RepoKey key, Digest image, List<ImageSignature> found, SignaturePolicy policy) {
        List<SignatureLayer> layers = found.stream()
                .filter(s -> s.kind().isCosign())
                .flatMap(s -> s.layers().stream()).filter(l -> l.signature() != null).toList();
        if (layers.isEmpty()) {
            return Verdict.refused(found.isEmpty() ? "the image has no signature"
                    : "its cosign signature has no signature layer (a simple-signing layer with its signature annotation)");
        }
        String otherDigest = null;
        for (SignatureLayer layer : layers) {
            Optional<byte[]> payload = payload(key, layer);
            Optional<Digest> named = payload.flatMap(SimpleSigning::manifestDigest);
            if (named.isPresent() && !named.get().equals(image)) {
                otherDigest = named.get().toString();
            } else if (named.isPresent()) {
                String trusted = trustedKey(payload.get(), layer.signature(), policy);
                if (trusted != null) {
                    return Verdict.trusted(trusted);
                }
            }
        }
        return Verdict.refused(otherDigest != null && layers.size() == 1
                ? "the signature's payload names another digest (" + otherDigest + ")"
                : "no signature verifies with a trusted key (signed by an untrusted key, or the signature does not verify)");
    }

    private String trustedKey(byte[] payload, String signatureBase64, SignaturePolicy policy) {
        return policy.trustedKeys().stream().filter(k -> verifies(k.key(), payload, signatureBase64))
                .map(SignaturePolicy.TrustedKey::name).findFirst().orElse(null);
    }

    /** Whether the base64 signature is {@code key}'s over the payload. */
    boolean verifies(java.security.PublicKey key, byte[] payload, String signatureBase64) {
        try {
            return verifier.verify(key, payload, Base64.getDecoder().decode(signatureBase64.strip()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    Optional<byte[]> payload(RepoKey key, SignatureLayer layer) {
        return BlobBytes.read(blobs, key, layer.payload(), layer.size(), MAX_PAYLOAD_BYTES);
    }
}
