package io.wharf.core.identity;

import java.security.SecureRandom;
import java.util.Base64;

/** New access key ids and secrets in the shapes AWS uses, so clients' own format checks pass. */
public final class AccessKeyGenerator {
    /** Long-term keys start with AKIA; the rest is base32 (A-Z, 2-7), 20 characters in all. */
    private static final String ID_PREFIX = "AKIA";
    public static final String TEMPORARY_ID_PREFIX = "ASIA";
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int ID_LENGTH = 20;
    /** 30 random bytes are exactly 40 base64 characters, the length of an AWS secret. */
    private static final int SECRET_BYTES = 30;

    private final SecureRandom random;

    public AccessKeyGenerator(SecureRandom random) {
        this.random = random;
    }

    public String newId() {
        return newId(ID_PREFIX);
    }

    /** Temporary credentials' key ids start with ASIA, as STS's do; clients tell the two kinds apart by it. */
    public String newTemporaryId() {
        return newId(TEMPORARY_ID_PREFIX);
    }

    private String newId(String prefix) {
        StringBuilder sb = new StringBuilder(prefix);
        while (sb.length() < ID_LENGTH) {
            sb.append(BASE32.charAt(random.nextInt(BASE32.length())));
        }
        return sb.toString();
    }

    public String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }
}
