package io.wharf.core.identity;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords as virtual MFA devices (authenticator apps) compute them: RFC 6238 over RFC 4226's
 * HOTP with HMAC-SHA-1, 30-second steps, 6 digits. A code is accepted for its step and one step either way (clock
 * drift); which step matched is returned so that the caller can refuse a code used before.
 */
public final class Totp {
    public static final int STEP_SECONDS = 30;
    public static final int DIGITS = 6;
    /** Steps accepted on either side of the current one. */
    public static final int WINDOW = 1;
    private static final int MODULUS = 1_000_000;
    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private Totp() {
    }

    /** The time step of {@code at} (RFC 6238's T, with T0 = 0). */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /** The code of one step: HOTP(secret, step), zero-padded to {@value #DIGITS} digits. */
    public static String code(byte[] secret, long step) {
        return code(secret, step, DIGITS);
    }

    /** HOTP with any number of digits (RFC 6238's test vectors use 8). */
    public static String code(byte[] secret, long step, int digits) {
        byte[] hash = hmacSha1(secret, ByteBuffer.allocate(Long.BYTES).putLong(step).array());
        int offset = hash[hash.length - 1] & 0x0f; // RFC 4226 §5.3, dynamic truncation
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        long modulus = (long) Math.pow(10, digits);
        return String.format("%0" + digits + "d", binary % modulus);
    }

    /**
     * The step within {@link #WINDOW} of {@code now} whose code {@code code} is, compared in constant time; empty when
     * none (or the code is not six digits).
     */
    public static OptionalLong matchingStep(byte[] secret, String code, Instant now) {
        if (code == null || !code.matches("[0-9]{" + DIGITS + "}")) {
            return OptionalLong.empty();
        }
        long current = step(now);
        for (long s = current - WINDOW; s <= current + WINDOW; s++) {
            if (MessageDigest.isEqual(code(secret, s).getBytes(), code.getBytes())) {
                return OptionalLong.of(s);
            }
        }
        return OptionalLong.empty();
    }

    /** RFC 4648 base32 without padding: how authenticator apps take a secret. */
    public static String base32(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        }
        return out.toString();
    }

    /** The Key Uri Format authenticator apps scan: {@code otpauth://totp/<issuer>:<label>?secret=…}. */
    public static String uri(String issuer, String label, byte[] secret) {
        return "otpauth://totp/" + issuer + ":" + label + "?secret=" + base32(secret) + "&issuer=" + issuer
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    private static byte[] hmacSha1(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from this JDK", e); // every JDK has it
        }
    }
}
