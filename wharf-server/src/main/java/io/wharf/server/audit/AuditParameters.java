package io.wharf.server.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parameters and results an audit record keeps: JSON-like maps with secrets hidden and long strings cut. Secrets
 * are found by member name, at any depth, and replaced by CloudTrail's own placeholder.
 */
public final class AuditParameters {
    /** What CloudTrail writes in place of a sensitive value. */
    public static final String HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> SECRET_MEMBERS = Set.of("secretstring", "secretbinary", "authorizationtoken",
            "secretaccesskey", "sessiontoken", "password", "credentials", "authorizationdata", "token");

    private AuditParameters() {
    }

    /**
     * A request's JSON body as a map parsed on first use: the handler hands it over for nothing, and only a record
     * that is kept (not an unsampled pull) pays for the parse. Empty when the body is not a JSON object.
     */
    public static Map<String, Object> lazy(byte[] body) {
        return new AbstractMap<>() {
            private Map<String, Object> parsed;

            @Override
            public Set<Entry<String, Object>> entrySet() {
                if (parsed == null) {
                    Map<String, Object> m = ofJson(body);
                    parsed = m == null ? Map.of() : m;
                }
                return parsed.entrySet();
            }
        };
    }

    /** A request's JSON body as a map; null when it is not a JSON object (the operation will refuse it anyway). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> ofJson(byte[] body) {
        if (body.length == 0) {
            return null;
        }
        try {
            Object value = JSON.readValue(body, Object.class);
            return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A result object (an ECR response shape) as a map, or null. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> ofObject(Object result, ObjectMapper mapper) {
        try {
            Object value = mapper.convertValue(result, Object.class);
            return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A copy of {@code map} fit to keep: secrets hidden, strings over {@code maxChars} cut; null stays null. */
    public static Map<String, Object> clean(Map<String, Object> map, int maxChars) {
        return map == null ? null : cleanMap(map, maxChars);
    }

    private static Map<String, Object> cleanMap(Map<?, ?> map, int maxChars) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            boolean secret = SECRET_MEMBERS.contains(key.toLowerCase(Locale.ROOT));
            out.put(key, secret ? HIDDEN : cleanValue(e.getValue(), maxChars));
        }
        return out;
    }

    private static Object cleanValue(Object v, int maxChars) {
        return switch (v) {
            case Map<?, ?> m -> cleanMap(m, maxChars);
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(x -> out.add(cleanValue(x, maxChars)));
                yield out;
            }
            case String s when s.length() > maxChars -> s.substring(0, maxChars) + "...(" + s.length() + " chars)";
            case null, default -> v;
        };
    }
}
