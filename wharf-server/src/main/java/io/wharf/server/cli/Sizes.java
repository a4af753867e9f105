package io.wharf.server.cli;

import java.util.Locale;

/** Counts and byte counts for people. */
final class Sizes {
    private Sizes() {
    }

    /** {@code 1023 B}, {@code 11.8 MiB}: binary units, one decimal. */
    static String human(long n) {
        if (n < 1024) {
            return n + " B";
        }
        int unit = (63 - Long.numberOfLeadingZeros(n)) / 10;
        return String.format(Locale.ROOT, "%.1f %siB", n / Math.pow(1024, unit), "KMGTPE".charAt(unit - 1));
    }

    /** {@code 12,345,678 (11.8 MiB)}: exact, and at a glance. */
    static String both(long n) {
        return count(n) + " (" + human(n) + ")";
    }

    /** {@code 12,345,678} */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
