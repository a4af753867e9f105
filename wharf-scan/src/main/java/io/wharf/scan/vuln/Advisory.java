package io.wharf.scan.vuln;

import java.util.List;

/**
 * An advisory in the normalized form Wharf stores ({@code StoredAdvisory.document}, as JSON): what matching and
 * findings need of an OSV record, nothing more. Times are RFC 3339 strings as the source wrote them.
 *
 * @param label    the record's own severity word (GHSA {@code database_specific.severity}, Ubuntu priority,
 *                 Debian urgency), or null
 * @param severity CVSS vectors (and other typed scores) of the whole record
 */
public record Advisory(String id, List<String> aliases, List<String> related, String summary, String details,
                       List<Score> severity, String label, List<Affected> affected, List<Reference> references,
                       String published, String modified) {

    public Advisory {
        aliases = List.copyOf(aliases);
        related = List.copyOf(related);
        severity = List.copyOf(severity);
        affected = List.copyOf(affected);
        references = List.copyOf(references);
    }

    /** One OSV severity entry: its type ({@code CVSS_V3}, {@code CVSS_V4}, {@code Ubuntu}…) and score. */
    public record Score(String type, String score) {
    }

    /** An OSV reference: its type ({@code ADVISORY}, {@code WEB}, {@code FIX}…) and url. */
    public record Reference(String type, String url) {
    }

    /**
     * One affected package. {@code name} is normalized for its ecosystem ({@link Ecosystems#normalizeName});
     * {@code severity} and {@code label} are the package-level ones, when the record gives them there.
     */
    public record Affected(String ecosystem, String name, List<Range> ranges, List<String> versions,
                           List<Score> severity, String label) {

        public Affected {
            ranges = List.copyOf(ranges);
            versions = List.copyOf(versions);
            severity = List.copyOf(severity);
        }
    }

    /** A SEMVER or ECOSYSTEM range (GIT ranges are dropped: there is no repository to resolve commits in). */
    public record Range(String type, List<Event> events) {

        public Range {
            events = List.copyOf(events);
        }
    }

    /** One event: {@code introduced}, {@code fixed}, {@code last_affected} or {@code limit}, and its version. */
    public record Event(String kind, String version) {
    }
}
