package io.wharf.core.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@value #HEADER} header: {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed by the secret>}.
 * The timestamp inside the signed text lets a receiver refuse replays older than its tolerance.
 */
public final class WebhookSignature {
    public static final String HEADER = "Wharf-Signature";
    /** More secrets than this and the keyed prototypes start over: a bound, not an eviction policy. */
    private static final int MAX_KEYED = 256;
    /**
     * A MAC keyed by each secret in use, cloned per signature: looking the algorithm up and keying it cost more than
     * signing a delivery's body.
     */
    private static final Map<String, Mac> KEYED = new ConcurrentHashMap<>();

    private WebhookSignature() {
    }

    /** The header's value for {@code body} sent at {@code unixSeconds}. */
    public static String header(String secret, long unixSeconds, byte[] body) {
        return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(mac(secret, unixSeconds, body));
    }

    /** Whether {@code header} is a valid signature of {@code body} by {@code secret} (compared in constant time). */
    public static boolean verify(String secret, String header, byte[] body) {
        if (header == null) {
            return false;
        }
        Long t = null;
        byte[] given = null;
        for (String part : header.split(",")) {
            if (part.startsWith("t=") && part.length() <= 22) {
                t = parseLong(part.substring(2));
            } else if (part.startsWith("v1=") && part.length() == 67) {
                given = parseHex(part.substring(3));
            }
        }
        return t != null && given != null && MessageDigest.isEqual(given, mac(secret, t, body));
    }

    /** The signature's timestamp, or -1 when there is none. */
    public static long timestamp(String header) {
        for (String part : header == null ? new String[0] : header.split(",")) {
            if (part.startsWith("t=")) {
                Long t = parseLong(part.substring(2));
                return t == null ? -1 : t;
            }
        }
        return -1;
    }

    private static byte[] mac(String secret, long unixSeconds, byte[] body) {
        try {
            Mac mac = keyed(secret);
            mac.update((unixSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static Mac keyed(String secret) throws GeneralSecurityException {
        Mac prototype = KEYED.get(secret);
        if (prototype == null) {
            prototype = newMac(secret);
            if (KEYED.size() >= MAX_KEYED) {
                KEYED.clear();
            }
            KEYED.put(secret, prototype);
        }
        try {
            return (Mac) prototype.clone(); // a prototype is never used itself: clones share no state with it
        } catch (CloneNotSupportedException e) {
            return newMac(secret); // a provider whose MAC cannot be cloned
        }
    }

    private static Mac newMac(String secret) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return mac;
    }

    private static Long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static byte[] parseHex(String text) {
        try {
            return HexFormat.of().parseHex(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
