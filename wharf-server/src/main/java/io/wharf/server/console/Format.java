package io.wharf.server.console;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How pages write sizes and times: binary units, UTC to the minute. */
final class Format {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    private Format() {
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** {@code never} for null. */
    static String time(Instant at) {
        return at == null ? "never" : TIME.format(at);
    }

    /** {@code sha256:0123456789ab} — enough to tell images apart in a list. */
    static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return digest.length() > colon + 13 ? digest.substring(0, colon + 13) : digest;
    }
}
