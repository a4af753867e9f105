package io.wharf.core.signature;

import java.security.PublicKey;

/** The keys Wharf holds for signing profiles (created on first use); the server keeps them sealed. */
public interface ImageSigner {

    /** The profile's signature over {@code payload} (ECDSA P-256 with SHA-256, ASN.1 DER: what cosign writes). */
    byte[] sign(String profileArn, byte[] payload);

    PublicKey publicKey(String profileArn);
}
