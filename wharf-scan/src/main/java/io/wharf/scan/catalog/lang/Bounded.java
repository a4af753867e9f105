package io.wharf.scan.catalog.lang;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reading untrusted streams with a byte cap. */
final class Bounded {

    private Bounded() {
    }

    /** All bytes of {@code in}, or null when there are more than {@code cap}. */
    static byte[] readAll(InputStream in, long cap) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            total += n;
            if (total > cap) {
                return null;
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /** The stream as UTF-8 text (malformed bytes replaced), or null when longer than {@code cap}. */
    static String text(InputStream in, long cap) throws IOException {
        byte[] bytes = readAll(in, cap);
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** The value with one pair of surrounding single or double quotes removed. */
    static String unquote(String s) {
        String t = s.strip();
        if (t.length() >= 2 && (t.charAt(0) == '"' || t.charAt(0) == '\'') && t.charAt(t.length() - 1) == t.charAt(0)) {
            return t.substring(1, t.length() - 1);
        }
        return t;
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
