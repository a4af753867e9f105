package io.wharf.server.remote;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code WWW-Authenticate} challenge: {@code Basic realm=…} or {@code Bearer realm=…,service=…,scope=…}. */
record Challenge(Scheme scheme, Map<String, String> params) {

    enum Scheme {
        BASIC, BEARER
    }

    private static final Pattern PARAM = Pattern.compile("\\s*([A-Za-z0-9_-]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,\\s]*)\\s*,?");

    /** The challenge in {@code header}, empty when absent or of a scheme this client does not speak. */
    static Optional<Challenge> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip();
        int space = h.indexOf(' ');
        String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
        Scheme s = switch (scheme) {
            case "basic" -> Scheme.BASIC;
            case "bearer" -> Scheme.BEARER;
            default -> null;
        };
        if (s == null) {
            return Optional.empty();
        }
        Map<String, String> params = new HashMap<>();
        Matcher m = PARAM.matcher(space < 0 ? "" : h.substring(space + 1));
        while (m.find() && m.end() > m.start()) {
            String value = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2);
            params.put(m.group(1).toLowerCase(Locale.ROOT), value);
        }
        return Optional.of(new Challenge(s, Map.copyOf(params)));
    }

    String param(String name) {
        return params.get(name);
    }
}
