package io.wharf.core.signature;

/**
 * Whether an image passes its repository's signature policy, and why not.
 *
 * @param trustedKey the name of the key a signature verified with (null when refused)
 * @param reason     why the pull is refused (null when allowed)
 */
public record Verdict(String trustedKey, String reason) {

    public boolean allowed() {
        return trustedKey != null;
    }

    static Verdict trusted(String key) {
        return new Verdict(key, null);
    }

    static Verdict refused(String reason) {
        return new Verdict(null, reason);
    }
}
