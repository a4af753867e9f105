package io.wharf.core.signature;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.core.model.Digest;
import io.wharf.core.service.BlobService;
import io.wharf.core.service.RepoKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Verifies a Notary Project (Notation) signature as the specification lays out for the {@code notary.x509} scheme:
 * integrity (the JWS signature with the leaf's key, {@code alg} matching the key), the target (the payload's
 * {@code targetArtifact} is the pulled manifest), authenticity (a code-signing chain leading to a trusted certificate
 * entry at the signing time, the leaf's subject a trusted identity), expiry, and, with no timestamp countersignature
 * read, every chain certificate valid at the pull. COSE envelopes are recognised and refused.
 */
final class NotationCheck {
    /** A JWS envelope is its chain (a few KiB per certificate) and a few hundred bytes more. */
    static final int MAX_ENVELOPE_BYTES = 256 << 10;
    static final String UNTRUSTED = "no signature verifies with a trusted key or certificate";

    /** The pulled manifest: mediaType null and size negative when not known. */
    record Target(Digest digest, String mediaType, long size) {
    }

    private final BlobService blobs;
    private final Clock clock;

    NotationCheck(BlobService blobs, Clock clock) {
        this.blobs = blobs;
        this.clock = clock;
    }

    /** One Notation signature artifact's verdict against the policy's certificate entries. */
    Checked check(RepoKey key, Target image, ImageSignature signature, SignaturePolicy policy) {
        String unverifiable = unverifiable(signature, policy);
        if (unverifiable != null) {
            return Checked.refused(unverifiable);
        }
        SignatureLayer layer = signature.layers().getFirst();
        Optional<byte[]> bytes = BlobBytes.read(blobs, key, layer.payload(), layer.size(), MAX_ENVELOPE_BYTES);
        if (bytes.isEmpty()) {
            // a read that failed may succeed at the next pull: not an answer to keep
            return new Checked(Verdict.refused("the Notation envelope cannot be read (missing, damaged or over "
                    + MAX_ENVELOPE_BYTES + " bytes)"), Instant.MIN);
        }
        try {
            return verify(NotationEnvelope.parse(bytes.get()), image, policy);
        } catch (NotationEnvelope.Unusable e) {
            return Checked.refused(e.getMessage());
        } catch (RuntimeException e) {
            // a certificate the JDK reads but cannot process further: an unverifiable signature, never a failed pull
            return Checked.refused("the Notation signature cannot be verified (" + e.getMessage() + ")");
        }
    }

    /** Why the signature cannot be verified before its envelope is read; null when it may be. */
    private static String unverifiable(ImageSignature signature, SignaturePolicy policy) {
        if (signature.layers().size() != 1) {
            return "a Notation signature must have one layer (its envelope)";
        }
        String mediaType = signature.layers().getFirst().mediaType();
        if (NotationEnvelope.COSE_MEDIA_TYPE.equals(mediaType)) {
            return "Notation COSE envelopes are not verified (Wharf verifies JWS, application/jose+json)";
        }
        if (!NotationEnvelope.MEDIA_TYPE.equals(mediaType)) {
            return "the Notation envelope's media type " + mediaType + " is not a signature envelope";
        }
        return policy.trustedCertificates().isEmpty()
                ? UNTRUSTED + " (the policy trusts no certificates, which Notation signatures need)" : null;
    }

    private Checked verify(NotationEnvelope env, Target image, SignaturePolicy policy) {
        String other = otherTarget(env.target(), image);
        if (other != null) {
            return Checked.refused(other);
        }
        X509Certificate leaf = env.chain().getFirst();
        String alg = NotationAlgorithms.algFor(leaf.getPublicKey());
        if (alg == null || !alg.equals(env.alg())) {
            return Checked.refused("the Notation signature's alg " + env.alg() + " is not its signing key's ("
                    + (alg == null ? "an unsupported key type or size" : alg) + ")");
        }
        if (!NotationAlgorithms.verify(alg, leaf.getPublicKey(), env.signingInput(), env.signature())) {
            return Checked.refused(UNTRUSTED + " (the Notation signature does not verify with its signing certificate)");
        }
        String structure = CodeSigningChain.structure(env.chain());
        if (structure != null) {
            return Checked.refused("the Notation certificate chain is not acceptable: " + structure);
        }
        String requirements = CodeSigningChain.requirements(env.chain());
        return requirements != null ? Checked.refused(requirements) : authentic(env, policy);
    }

    /** Which certificate entry trusts the chain and the leaf's identity, then expiry and validity now. */
    private Checked authentic(NotationEnvelope env, SignaturePolicy policy) {
        X509Certificate leaf = env.chain().getFirst();
        String refusal = null;
        for (TrustedCertificates entry : policy.trustedCertificates()) {
            String untrusted = CodeSigningChain.trusted(env.chain(), entry.certificates(), env.signingTime());
            if (untrusted == null && entry.matcher().matches(leaf)) {
                return timely(env, entry.name());
            }
            if (untrusted == null) {
                refusal = "the Notation signing certificate's subject (" + leaf.getSubjectX500Principal().getName()
                        + ") is not a trusted identity of " + entry.name();
            } else if (refusal == null || refusal.startsWith(UNTRUSTED)) {
                refusal = UNTRUSTED + " (Notation: " + untrusted + ")";
            }
        }
        return Checked.refused(refusal);
    }

    /** The spec's expiry, and, in the absence of an authentic timestamp, every certificate valid now. */
    private Checked timely(NotationEnvelope env, String trusted) {
        Instant now = clock.instant();
        Instant changesAt = changesAt(env, now);
        if (env.expiry() != null && !now.isBefore(env.expiry())) {
            return new Checked(Verdict.refused("the Notation signature expired at " + env.expiry()), changesAt);
        }
        String invalid = CodeSigningChain.validAt(env.chain(), now, "the time of the pull");
        if (invalid != null) {
            return new Checked(Verdict.refused("the Notation certificate chain is not valid now: " + invalid), changesAt);
        }
        return new Checked(Verdict.trusted(trusted), changesAt);
    }

    /** The next instant at which expiry or a certificate's validity changes the answer; MAX when none will. */
    private static Instant changesAt(NotationEnvelope env, Instant now) {
        Stream<Instant> bounds = env.chain().stream().flatMap(c -> Stream.of(c.getNotBefore().toInstant(),
                c.getNotAfter().toInstant().plusMillis(1)));
        return Stream.concat(bounds, Stream.ofNullable(env.expiry())).filter(now::isBefore).min(Instant::compareTo)
                .orElse(Instant.MAX);
    }

    /** Why the payload's targetArtifact is not the pulled manifest; null when it is. */
    private static String otherTarget(JsonNode target, Target image) {
        String digest = target.path("digest").asText();
        if (!digest.equals(image.digest().toString())) {
            return "the signature's payload names another digest (" + digest + ")";
        }
        String mediaType = target.path("mediaType").asText(null);
        if (image.mediaType() != null && mediaType != null && !mediaType.equals(image.mediaType())) {
            return "the Notation payload names another media type (" + mediaType + ")";
        }
        if (image.size() >= 0 && target.has("size") && target.path("size").asLong(-1) != image.size()) {
            return "the Notation payload names another size (" + target.path("size").asText() + ")";
        }
        return null;
    }

    static List<ImageSignature> of(List<ImageSignature> found) {
        return found.stream().filter(s -> s.kind() == SignatureKind.NOTATION).toList();
    }
}
