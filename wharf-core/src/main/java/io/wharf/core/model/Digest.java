package io.wharf.core.model;

import io.wharf.core.error.DigestInvalidException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A content digest, {@code algorithm:hex}, parsed and validated once at the edge.
 * Only sha256 (required by OCI) and sha512 are accepted; anything else is DIGEST_INVALID.
 */
public record Digest(Algorithm algorithm, String hex) implements Comparable<Digest> {

    public enum Algorithm {
        SHA256("sha256", "SHA-256", 64),
        SHA512("sha512", "SHA-512", 128);

        private final String prefix;
        private final String jcaName;
        private final int hexLength;

        Algorithm(String prefix, String jcaName, int hexLength) {
            this.prefix = prefix;
            this.jcaName = jcaName;
            this.hexLength = hexLength;
        }

        public String prefix() {
            return prefix;
        }

        public MessageDigest newMessageDigest() {
            try {
                return MessageDigest.getInstance(jcaName);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public Digest {
        if (hex.length() != algorithm.hexLength || !isLowerHex(hex)) {
            throw new DigestInvalidException("invalid " + algorithm.prefix + " digest", hex);
        }
    }

    public static Digest parse(String text) {
        if (text == null) {
            throw new DigestInvalidException("digest missing", null);
        }
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new DigestInvalidException("invalid digest format", text);
        }
        Algorithm algorithm = switch (text.substring(0, colon)) {
            case "sha256" -> Algorithm.SHA256;
            case "sha512" -> Algorithm.SHA512;
            default -> throw new DigestInvalidException("unsupported digest algorithm", text);
        };
        String hex = text.substring(colon + 1);
        if (hex.length() != algorithm.hexLength || !isLowerHex(hex)) {
            throw new DigestInvalidException("invalid " + algorithm.prefix + " digest", text);
        }
        return new Digest(algorithm, hex);
    }

    /** True when {@code text} looks like {@code alg:encoded} and not like a tag. */
    public static boolean looksLikeDigest(String text) {
        return text.indexOf(':') > 0;
    }

    public static Digest sha256Of(byte[] content) {
        return of(Algorithm.SHA256, Algorithm.SHA256.newMessageDigest().digest(content));
    }

    public static Digest of(Algorithm algorithm, byte[] rawHash) {
        return new Digest(algorithm, HexFormat.of().formatHex(rawHash));
    }

    public MessageDigest newMessageDigest() {
        return algorithm.newMessageDigest();
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int compareTo(Digest o) {
        return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
        return algorithm.prefix + ":" + hex;
    }
}
