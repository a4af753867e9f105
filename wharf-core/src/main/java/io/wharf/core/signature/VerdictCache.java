package io.wharf.core.signature;

import io.wharf.core.model.Digest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Verdicts of single signatures, so that repeated pulls do not read and verify them again. The key names everything
 * a verdict depends on, all content-addressed: the image's digest, the signature manifest's digest (its layers and
 * their blobs are fixed by it) and the policy's text (a changed policy is a new key). A signature removed is no longer
 * found, so its entry is never asked for. Time is the one other input: an entry is used only before its
 * {@link Checked#changesAt()} (a Notation expiry, a certificate's validity bounds). Bounded: cleared when full.
 */
final class VerdictCache {
    static final int MAX_ENTRIES = 4096;
    private final Map<String, Checked> entries = new ConcurrentHashMap<>();
    private final Clock clock;

    VerdictCache(Clock clock) {
        this.clock = clock;
    }

    /** The cached verdict while it holds, else {@code verify}'s (kept unless it changes at once). */
    Checked get(String key, Supplier<Checked> verify) {
        Checked cached = entries.get(key);
        if (cached != null && clock.instant().isBefore(cached.changesAt())) {
            return cached;
        }
        Checked fresh = verify.get(); // an outage throws and nothing is kept
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        if (clock.instant().isBefore(fresh.changesAt())) {
            entries.put(key, fresh);
        }
        return fresh;
    }

    static String key(Digest image, Digest signature, String policyFingerprint) {
        return image + " " + signature + " " + policyFingerprint;
    }

    /** SHA-256 of a policy's stored text. */
    static String fingerprint(String policyText) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(policyText.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    int size() {
        return entries.size();
    }
}
