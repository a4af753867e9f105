package io.wharf.scan.vuln;

/** ECR's finding severities. */
public enum Severity {
    INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNDEFINED;

    /** The CVSS base-score band: 0 informational, 0.1–3.9 low, 4–6.9 medium, 7–8.9 high, 9–10 critical. */
    public static Severity ofScore(double score) {
        if (score <= 0) {
            return INFORMATIONAL;
        }
        if (score < 4) {
            return LOW;
        }
        if (score < 7) {
            return MEDIUM;
        }
        return score < 9 ? HIGH : CRITICAL;
    }
}
