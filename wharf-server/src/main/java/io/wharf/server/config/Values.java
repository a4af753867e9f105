package io.wharf.server.config;

import io.wharf.server.config.WharfConfig.Listen;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Parsers for the value syntaxes of the configuration; each throws IllegalArgumentException with a reason. */
final class Values {
    private static final Pattern SIZE = Pattern.compile("([0-9]+)\\s*(KiB|MiB|GiB|TiB)?");
    private static final Pattern SHORT_DURATION = Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)");

    private Values() {
    }

    /** {@code HOST:PORT}, {@code [IPv6]:PORT}, or {@code :PORT} for every interface. */
    static Listen listen(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected HOST:PORT, e.g. 127.0.0.1:5000 or :5000 for all interfaces");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new IllegalArgumentException("write IPv6 addresses in brackets, e.g. [::1]:5000");
        }
        if (host.isEmpty()) {
            host = "0.0.0.0";
        }
        return new Listen(host, port(text.substring(colon + 1)));
    }

    private static int port(String text) {
        if (text.isEmpty() || text.length() > 6 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("port '" + text + "' is not a number");
        }
        int port = Integer.parseInt(text);
        if (port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
        return port;
    }

    /** Bytes, optionally with a binary unit: {@code 4194304}, {@code 4MiB}, {@code 64GiB}. */
    static long size(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size; write bytes, or a number with KiB, MiB, GiB or TiB");
        }
        int shift = switch (m.group(2) == null ? "" : m.group(2)) {
            case "KiB" -> 10;
            case "MiB" -> 20;
            case "GiB" -> 30;
            case "TiB" -> 40;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("too large");
        }
    }

    /** ISO-8601 ({@code PT30S}), {@code 0}, or a number with one unit ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d}). */
    static Duration duration(String text) {
        if (text.equals("0")) {
            return Duration.ZERO; // "off" for the durations that allow it, without a unit to pick
        }
        try {
            if (text.startsWith("P") || text.startsWith("p") || text.startsWith("-P")) {
                return Duration.parse(text);
            }
            Matcher m = SHORT_DURATION.matcher(text);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            // fall through to the one message that explains the syntax
        }
        throw new IllegalArgumentException("not a duration; write ISO-8601 like PT30S or PT1H, or 500ms, 30s, 5m, 1h, 2d");
    }

    static String names(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
