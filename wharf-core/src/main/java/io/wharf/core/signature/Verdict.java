package io.wharf.core.signature;

/**
 * Whether an image passes its repository's signature policy, and why not.
 *
 * @param trustedKey      the name of the key a signature verified with (null when refused or keyless)
 * @param reason          why the pull is refused (null when allowed)
 * @param trustedIdentity the name of the identity a keyless signature's certificate matched (null otherwise)
 */
public record Verdict(String trustedKey, String reason, String trustedIdentity) {

    public Verdict(String trustedKey, String reason) {
        this(trustedKey, reason, null);
    }

    public boolean allowed() {
        return trustedKey != null || trustedIdentity != null;
    }

    /** The policy entry that let the image through (a key's or an identity's name). */
    public String trustedBy() {
        return trustedKey != null ? trustedKey : trustedIdentity;
    }

    static Verdict trusted(String key) {
        return new Verdict(key, null);
    }

    static Verdict trustedIdentity(String identity) {
        return new Verdict(null, null, identity);
    }

    static Verdict refused(String reason) {
        return new Verdict(null, reason);
    }
}
