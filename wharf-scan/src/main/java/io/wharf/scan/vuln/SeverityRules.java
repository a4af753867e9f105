package io.wharf.scan.vuln;

import io.wharf.scan.vuln.Advisory.Affected;
import io.wharf.scan.vuln.Advisory.Score;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A finding's severity: the vendor's own word when the record has one that means something (GHSA label,
 * Ubuntu priority, Debian urgency), else the band of the highest CVSS v4/v3 base score (v2 only when there is
 * no newer one), else UNDEFINED.
 */
final class SeverityRules {
    private SeverityRules() {
    }

    /** The vendor word: the affected package's own, else the record's, else an {@code Ubuntu} typed score. */
    static String vendorLabel(Advisory a, Affected x) {
        if (x.label() != null) {
            return x.label();
        }
        if (a.label() != null) {
            return a.label();
        }
        for (Score s : scores(a, x)) {
            if ("Ubuntu".equalsIgnoreCase(s.type())) {
                return s.score();
            }
        }
        return null;
    }

    static Severity severity(String label, List<Cvss> cvss) {
        Severity vendor = ofLabel(label);
        if (vendor != null) {
            return vendor;
        }
        double best = -1;
        for (boolean modern : new boolean[] {true, false}) {
            for (Cvss c : cvss) {
                if (c.version().startsWith("2") != modern) {
                    best = Math.max(best, c.baseScore());
                }
            }
            if (best >= 0) {
                return Severity.ofScore(best);
            }
        }
        return Severity.UNDEFINED;
    }

    /** GHSA, Ubuntu and Debian words; null for words that carry no severity ("not yet assigned", "unknown"). */
    static Severity ofLabel(String label) {
        if (label == null) {
            return null;
        }
        String w = label.strip().toLowerCase(Locale.ROOT).replace("*", "");
        return switch (w) {
            case "critical" -> Severity.CRITICAL;
            case "high", "important" -> Severity.HIGH;
            case "moderate", "medium" -> Severity.MEDIUM;
            case "low" -> Severity.LOW;
            case "negligible", "unimportant", "end-of-life", "informational" -> Severity.INFORMATIONAL;
            default -> null;
        };
    }

    /** The CVSS ratings of the affected package, else of the record (OSV puts them in one place or the other). */
    static List<Cvss> cvss(Advisory a, Affected x, String source) {
        List<Cvss> out = new ArrayList<>();
        for (Score s : scores(a, x)) {
            if (s.type() != null && s.type().startsWith("CVSS_")) {
                Double score = baseScore(s.score());
                if (score != null) {
                    out.add(new Cvss(version(s), s.score(), score, source));
                }
            }
        }
        return out;
    }

    private static List<Score> scores(Advisory a, Affected x) {
        return x.severity().isEmpty() ? a.severity() : x.severity();
    }

    private static String version(Score s) {
        String v = s.score();
        if (v.startsWith("CVSS:")) {
            int slash = v.indexOf('/');
            return slash > 5 ? v.substring(5, slash) : v.substring(5);
        }
        return s.type().equals("CVSS_V2") ? "2.0" : s.type().substring(6);
    }

    /** Vectors repeat across advisories: their scores are remembered (up to {@value #MAX_SCORES} vectors). */
    private static final int MAX_SCORES = 10_000;
    private static final Map<String, Optional<Double>> SCORES = new ConcurrentHashMap<>();

    /** The base score by cvss-calculator, or null for a vector it cannot read. */
    static Double baseScore(String vector) {
        Optional<Double> known = SCORES.get(vector);
        if (known == null) {
            if (SCORES.size() >= MAX_SCORES) {
                SCORES.clear();
            }
            known = Optional.ofNullable(compute(vector));
            SCORES.put(vector, known);
        }
        return known.orElse(null);
    }

    private static Double compute(String vector) {
        try {
            us.springett.cvss.Cvss c = us.springett.cvss.Cvss.fromVector(vector);
            return c == null ? null : c.calculateScore().getBaseScore();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
