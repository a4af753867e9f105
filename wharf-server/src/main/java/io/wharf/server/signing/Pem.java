package io.wharf.server.signing;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;

/** PEM armour for public keys, as cosign reads them. */
public final class Pem {
    private Pem() {
    }

    public static String publicKey(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
