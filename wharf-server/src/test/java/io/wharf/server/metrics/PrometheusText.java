package io.wharf.server.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (and the OpenMetrics text it shares), for tests:
 * every line must be a {@code # HELP}, a {@code # TYPE} declared before its family's samples, a sample of a declared
 * family (with the suffixes its type allows), or a comment; names and label names must be valid, label values
 * correctly escaped, values numbers; a series may appear once. Anything else fails the parse.
 */
final class PrometheusText {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final List<String> TYPES = List.of("counter", "gauge", "histogram", "summary", "untyped", "unknown",
            "info", "stateset", "gaugehistogram");

    /** One series: metric name and its labels, sorted. */
    record Series(String name, Map<String, String> labels) {
    }

    final Map<String, String> types = new HashMap<>();
    final Map<String, String> help = new HashMap<>();
    final Map<Series, Double> samples = new LinkedHashMap<>();

    static PrometheusText parse(String text) {
        PrometheusText p = new PrometheusText();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            try {
                p.line(line);
            } catch (RuntimeException e) {
                throw new AssertionError("line " + n + " '" + line + "': " + e.getMessage(), e);
            }
        }
        return p;
    }

    private void line(String line) {
        if (line.isEmpty() || line.equals("# EOF")) {
            return;
        }
        if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
            String[] parts = line.substring(7).split(" ", 2);
            require(NAME.matcher(parts[0]).matches(), "bad metric name");
            Map<String, String> into = line.startsWith("# HELP ") ? help : types;
            require(!into.containsKey(parts[0]), "declared twice");
            if (into == types) {
                require(parts.length == 2 && TYPES.contains(parts[1]), "bad type");
            }
            into.put(parts[0], parts.length == 2 ? parts[1] : "");
            return;
        }
        if (line.startsWith("#")) {
            return;
        }
        sample(line);
    }

    private void sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        int nameEnd = brace >= 0 && brace < space ? brace : space;
        require(nameEnd > 0, "no value");
        String name = line.substring(0, nameEnd);
        require(NAME.matcher(name).matches(), "bad metric name");
        require(family(name) != null, "sample of an undeclared family");
        Map<String, String> labels = new TreeMap<>();
        int at = nameEnd;
        if (brace == nameEnd) {
            at = labels(line, brace + 1, labels);
        }
        String[] rest = line.substring(at).strip().split(" ");
        require(rest.length == 1 || rest.length == 2, "bad value/timestamp");
        Series s = new Series(name, labels);
        require(samples.put(s, number(rest[0])) == null, "series repeated");
    }

    /** Parses {@code a="x",b="y"}} from {@code i}; returns the index after the closing brace. */
    private static int labels(String line, int i, Map<String, String> into) {
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String label = line.substring(i, eq);
            require(LABEL.matcher(label).matches(), "bad label name " + label);
            require(line.charAt(eq + 1) == '"', "label value not quoted");
            StringBuilder v = new StringBuilder();
            int j = eq + 2;
            for (char c = line.charAt(j); c != '"'; c = line.charAt(++j)) {
                if (c == '\\') {
                    char e = line.charAt(++j);
                    require(e == '\\' || e == '"' || e == 'n', "bad escape");
                    v.append(e == 'n' ? '\n' : e);
                } else {
                    v.append(c);
                }
            }
            require(into.put(label, v.toString()) == null, "label repeated");
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }

    private static double number(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    /** The declared family a sample name belongs to, given its type's suffixes; null if none. */
    String family(String sample) {
        if (types.containsKey(sample)) {
            String t = types.get(sample);
            return t.equals("counter") && !sample.endsWith("_total") ? null : sample;
        }
        for (String suffix : List.of("_total", "_created", "_bucket", "_count", "_sum")) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                String t = types.get(base);
                if (t != null && allowed(t, suffix)) {
                    return base;
                }
            }
        }
        return null;
    }

    private static boolean allowed(String type, String suffix) {
        return switch (type) {
            case "counter" -> suffix.equals("_total") || suffix.equals("_created");
            case "histogram", "gaugehistogram" -> !suffix.equals("_total");
            case "summary" -> suffix.equals("_count") || suffix.equals("_sum") || suffix.equals("_created");
            default -> false;
        };
    }

    /** The value of the series with exactly these labels; null when absent. */
    Double value(String name, String... labels) {
        Map<String, String> l = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        return samples.get(new Series(name, l));
    }

    /** Every series of {@code name}. */
    List<Series> series(String name) {
        List<Series> out = new ArrayList<>();
        samples.keySet().stream().filter(s -> s.name().equals(name)).forEach(out::add);
        return out;
    }

    /** Sum over the series of {@code name} whose labels include these. */
    double sum(String name, String... labels) {
        double total = 0;
        for (Map.Entry<Series, Double> e : samples.entrySet()) {
            if (e.getKey().name().equals(name) && includes(e.getKey().labels(), labels)) {
                total += e.getValue();
            }
        }
        return total;
    }

    private static boolean includes(Map<String, String> have, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(have.get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    private static void require(boolean ok, String why) {
        if (!ok) {
            throw new IllegalArgumentException(why);
        }
    }
}
