package io.wharf.server.remote;

import io.wharf.core.remote.RemoteCredentials;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signature Version 4 for the one request this client signs: a JSON POST to {@code /} (no query), such as
 * ECR's {@code GetAuthorizationToken}. Small on purpose; the server's verifier is the general one.
 */
final class SigV4Signer {
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();

    private SigV4Signer() {
    }

    /**
     * The headers to add ({@code X-Amz-Date}, {@code Authorization}) for a POST of {@code body} to {@code uri}'s
     * root carrying {@code headers} (names as sent), all of which are signed along with {@code host}.
     */
    static Map<String, String> sign(RemoteCredentials.AwsKeys keys, String service, URI uri, Map<String, String> headers,
                                    byte[] body, Instant now) {
        String amzDate = AMZ_DATE.format(now);
        String scope = amzDate.substring(0, 8) + "/" + keys.region() + "/" + service + "/aws4_request";
        Map<String, String> signed = new TreeMap<>();
        headers.forEach((k, v) -> signed.put(k.toLowerCase(java.util.Locale.ROOT), v.strip()));
        signed.put("host", hostHeader(uri));
        signed.put("x-amz-date", amzDate);
        StringBuilder canonicalHeaders = new StringBuilder();
        signed.forEach((k, v) -> canonicalHeaders.append(k).append(':').append(v).append('\n'));
        String signedNames = String.join(";", signed.keySet());
        String canonical = "POST\n/\n\n" + canonicalHeaders + "\n" + signedNames + "\n" + HEX.formatHex(sha256(body));
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + HEX.formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
        byte[] key = ("AWS4" + keys.secretAccessKey()).getBytes(StandardCharsets.UTF_8);
        for (String part : scope.split("/")) {
            key = hmac(key, part);
        }
        String signature = HEX.formatHex(hmac(key, toSign));
        return Map.of("X-Amz-Date", amzDate, "Authorization", "AWS4-HMAC-SHA256 Credential=" + keys.accessKeyId() + "/"
                + scope + ", SignedHeaders=" + signedNames + ", Signature=" + signature);
    }

    /** The Host header java.net.http sends: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || port == ("https".equals(uri.getScheme()) ? 443 : 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
