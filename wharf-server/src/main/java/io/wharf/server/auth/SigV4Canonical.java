package io.wharf.server.auth;

import io.wharf.server.http.QueryString;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The pure pieces of Signature Version 4: canonical URI, query and headers, the string to sign and
 * the HMAC chain. Inputs are the request exactly as received; nothing here looks at credentials.
 */
final class SigV4Canonical {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String TERMINATOR = "aws4_request";
    private static final HexFormat HEX = HexFormat.of();

    /** One query parameter, decoded. */
    record Param(String name, String value) {
    }

    private SigV4Canonical() {
    }

    /**
     * The raw path, encoded once more: SigV4 for every service but S3 encodes the already-encoded
     * path again ("double encoding"), so {@code %2F} is signed as {@code %252F}.
     */
    static String uri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return encode(rawPath, false);
    }

    /** Splits a raw query string into decoded parameters, in order. */
    static List<Param> parseQuery(String rawQuery) {
        List<Param> params = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.add(new Param(decode(name), decode(value)));
        }
        return params;
    }

    /** Encoded {@code name=value} pairs sorted by encoded name, then value, without {@code X-Amz-Signature}. */
    static String query(List<Param> params) {
        List<Param> encoded = new ArrayList<>();
        for (Param p : params) {
            if (!p.name().equals("X-Amz-Signature")) {
                encoded.add(new Param(encode(p.name(), true), encode(p.value(), true)));
            }
        }
        encoded.sort(Comparator.comparing(Param::name).thenComparing(Param::value));
        StringJoiner out = new StringJoiner("&");
        encoded.forEach(p -> out.add(p.name() + "=" + p.value()));
        return out.toString();
    }

    /**
     * {@code name:value\n} for each signed header, in the order the client listed them. Repeated
     * headers join with commas; values are trimmed and inner runs of spaces collapse to one.
     */
    static String headers(List<String> signedHeaders, Map<String, List<String>> lowerCaseHeaders) {
        StringBuilder sb = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = lowerCaseHeaders.getOrDefault(name, List.of());
            List<String> clean = new ArrayList<>(values.size());
            for (String v : values) {
                clean.add(v.strip().replaceAll(" +", " "));
            }
            sb.append(name).append(':').append(String.join(",", clean)).append('\n');
        }
        return sb.toString();
    }

    static String canonicalRequest(String method, String uri, String query, String headers, String signedHeaders,
                                   String payloadHash) {
        return method + '\n' + uri + '\n' + query + '\n' + headers + '\n' + signedHeaders + '\n' + payloadHash;
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    /** Lower-case hex HMAC of the string to sign under the key derived for date, region and service. */
    static String signature(String secret, String date, String region, String service, String stringToSign) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        key = hmac(key, TERMINATOR);
        return HEX.formatHex(hmac(key, stringToSign));
    }

    static String sha256Hex(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 3986 percent-encoding of everything but unreserved characters (and {@code /} unless {@code slash}). */
    static String encode(String s, boolean slash) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~' || (c == '/' && !slash)) {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    /** Percent-decoding; {@code +} stays a plus (SDKs send spaces as %20), malformed escapes stay as sent. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            int hi = i + 2 < s.length() && c == '%' ? QueryString.hexDigit(s.charAt(i + 1)) : -1;
            int lo = hi >= 0 ? QueryString.hexDigit(s.charAt(i + 2)) : -1;
            if (lo >= 0) {
                out.write(hi << 4 | lo);
                i += 3;
            } else { // a whole code point: the two chars of one outside the BMP encode only together
                out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
