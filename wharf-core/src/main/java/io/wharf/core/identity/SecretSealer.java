package io.wharf.core.identity;

/**
 * Encrypts access-key secrets before a store writes them and decrypts them when read. The secret
 * must come back in plain form because SigV4 verification recomputes the client's HMAC with it.
 */
public interface SecretSealer {

    /** Ciphertext of {@code secret}, bound to {@code keyId} so it cannot be moved to another key's row. */
    byte[] seal(String keyId, String secret);

    /** @throws IllegalStateException when the bytes were not sealed for {@code keyId} with this sealer's key */
    String open(String keyId, byte[] sealed);
}
