package io.wharf.core.signature;

import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;

/**
 * One cosign signature: a simple-signing payload blob and the signature over its bytes.
 *
 * @param signature   base64, as cosign's annotation carries it (null: the layer carries none, e.g. a bundle)
 * @param certificate the signer's certificate (PEM) when keyless, else null
 * @param bundle      the transparency-log bundle (JSON) when there is one, else null
 * @param profile     the signing profile when Wharf signed it on push ({@value #PROFILE_ANNOTATION}), else null
 * @param chain       the certificate's intermediates up to the root (PEM, concatenated) when keyless, else null
 */
public record SignatureLayer(Digest payload, long size, String mediaType, String signature, String certificate,
                             String bundle, String profile, String chain) {
    /** Wharf's annotation on the signatures it writes: the signing profile whose key signed. */
    public static final String PROFILE_ANNOTATION = "dev.wharf.signing-profile";

    static SignatureLayer of(Descriptor d) {
        var a = d.annotations();
        return new SignatureLayer(d.digest(), d.size(), d.mediaType(), a.get(SignatureKind.SIGNATURE_ANNOTATION),
                a.get(SignatureKind.CERTIFICATE_ANNOTATION), a.get(SignatureKind.BUNDLE_ANNOTATION), a.get(PROFILE_ANNOTATION),
                a.get(SignatureKind.CHAIN_ANNOTATION));
    }
}
