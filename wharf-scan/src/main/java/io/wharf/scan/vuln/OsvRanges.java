package io.wharf.scan.vuln;

import io.wharf.scan.version.VersionScheme;
import io.wharf.scan.version.VersionSchemes;
import io.wharf.scan.vuln.Advisory.Affected;
import io.wharf.scan.vuln.Advisory.Event;
import io.wharf.scan.vuln.Advisory.Range;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * OSV's affected semantics (schema §"Evaluation"): a version is affected when {@code versions} lists it or when
 * any SEMVER/ECOSYSTEM range holds it. In a range, events are sorted by the range's version order
 * ({@code introduced: "0"} first); walking them, {@code introduced <= v} opens, {@code fixed <= v} closes,
 * {@code last_affected < v} closes; a range with {@code limit} events only applies below one of them.
 */
final class OsvRanges {
    private OsvRanges() {
    }

    /** A hit: the version is affected; {@code fixed} is the fix that ends the range holding it, or null. */
    record Hit(String fixed) {
    }

    static Optional<Hit> affected(Affected a, String version) {
        VersionScheme ecosystem = VersionSchemes.forEcosystem(a.ecosystem());
        Optional<Hit> listed = Optional.empty();
        for (String v : a.versions()) {
            if (v.equals(version)) {
                listed = Optional.of(new Hit(null));
                break;
            }
        }
        for (Range r : a.ranges()) {
            VersionScheme scheme = "SEMVER".equals(r.type()) ? VersionSchemes.semver() : ecosystem;
            Optional<Hit> hit = inRange(r.events(), version, scheme);
            if (hit.isPresent() && (listed.isEmpty() || hit.get().fixed() != null)) {
                return hit;
            }
        }
        return listed;
    }

    static Optional<Hit> inRange(List<Event> events, String v, VersionScheme scheme) {
        Comparator<String> order = (x, y) -> zero(x) ? (zero(y) ? 0 : -1) : zero(y) ? 1 : scheme.compare(x, y);
        List<Event> limits = events.stream().filter(e -> e.kind().equals("limit")).toList();
        if (!limits.isEmpty() && limits.stream().noneMatch(l -> l.version().equals("*") || order.compare(v, l.version()) < 0)) {
            return Optional.empty();
        }
        List<Event> sorted = new ArrayList<>(events.stream().filter(e -> !e.kind().equals("limit")).toList());
        sorted.sort((x, y) -> order.compare(x.version(), y.version()));
        boolean vulnerable = false;
        for (Event e : sorted) {
            int c = order.compare(v, e.version());
            switch (e.kind()) {
                case "introduced" -> vulnerable |= c >= 0;
                case "fixed" -> vulnerable &= c < 0;
                case "last_affected" -> vulnerable &= c <= 0;
                default -> { }
            }
        }
        if (!vulnerable) {
            return Optional.empty();
        }
        for (Event e : sorted) {
            if (e.kind().equals("fixed") && order.compare(v, e.version()) < 0) {
                return Optional.of(new Hit(e.version()));
            }
        }
        return Optional.of(new Hit(null));
    }

    /** {@code introduced: "0"} is before every version, whatever the scheme makes of "0". */
    private static boolean zero(String version) {
        return version.equals("0");
    }
}
