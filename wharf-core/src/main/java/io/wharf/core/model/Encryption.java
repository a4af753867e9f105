package io.wharf.core.model;

import java.util.Objects;

/**
 * A repository's encryption setting, fixed at creation. Wharf records it (clients read it back)
 * but does not encrypt per repository; {@code kmsKey} is null for AES256.
 */
public record Encryption(Type type, String kmsKey) {
    public static final Encryption AES256 = new Encryption(Type.AES256, null);

    public enum Type { AES256, KMS, KMS_DSSE }

    public Encryption {
        Objects.requireNonNull(type, "type");
    }
}
