package io.wharf.server.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A query string decoded strictly: {@code +} is a space, and every {@code %} escape must be complete and
 * spell UTF-8. A parameter whose value does not decode is remembered as malformed, so asking for it
 * fails with {@link MalformedQueryException} naming it, and the protocol can answer with its own 400.
 */
public final class QueryString {
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> malformed = new HashMap<>();

    public QueryString(String raw) {
        if (raw == null) {
            return;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (name == null || name.isEmpty() || values.containsKey(name) || malformed.containsKey(name)) {
                continue; // an undecodable name is no parameter we know; the first value of a name wins
            }
            String rawValue = eq < 0 ? "" : pair.substring(eq + 1);
            String value = decode(rawValue);
            if (value == null) {
                malformed.put(name, rawValue);
            } else {
                values.put(name, value);
            }
        }
    }

    public boolean has(String name) {
        return values.containsKey(name) || malformed.containsKey(name);
    }

    public String get(String name) {
        if (malformed.containsKey(name)) {
            throw new MalformedQueryException(name, malformed.get(name));
        }
        return values.get(name);
    }

    /** An ASCII hex digit's value, else -1 ({@link Character#digit} takes other scripts' digits too). */
    public static int hexDigit(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** The decoded text, or null when an escape is incomplete or the bytes are not UTF-8. */
    public static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? hexDigit(s.charAt(i + 1)) : -1;
                int lo = hi < 0 ? -1 : hexDigit(s.charAt(i + 2));
                if (lo < 0) {
                    return null;
                }
                bytes.write(hi << 4 | lo);
                i += 3;
            } else {
                // a whole code point: a character outside the BMP is two chars, which encode only together
                bytes.writeBytes(Character.toString(c == '+' ? ' ' : c).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(c);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
