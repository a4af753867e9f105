package io.wharf.scan.vuln;

/**
 * One CVSS rating of a vulnerability.
 *
 * @param version   "2.0", "3.0", "3.1" or "4.0"
 * @param vector    as the record gives it (e.g. {@code CVSS:3.1/AV:N/…})
 * @param baseScore computed from the vector
 * @param source    who rated it (e.g. NVD, GHSA, the advisory's database)
 */
public record Cvss(String version, String vector, double baseScore, String source) {
}
