package io.wharf.core.signature;

import io.wharf.core.model.Descriptor;
import io.wharf.core.model.Digest;

/**
 * One cosign signature: a simple-signing payload blob and the signature over its bytes.
 *
 * @param signature   base64, as cosign's annotation carries it (null: the layer carries none, e.g. a bundle)
 * @param certificate the signer's certificate (PEM) when keyless, else null
 * @param bundle      the transparency-log bundle (JSON) when there is one, else null
 */
public record SignatureLayer(Digest payload, long size, String mediaType, String signature, String certificate,
                             String bundle) {

    static SignatureLayer of(Descriptor d) {
        return new SignatureLayer(d.digest(), d.size(), d.mediaType(), d.annotations().get(SignatureKind.SIGNATURE_ANNOTATION),
                d.annotations().get(SignatureKind.CERTIFICATE_ANNOTATION), d.annotations().get(SignatureKind.BUNDLE_ANNOTATION));
    }
}
