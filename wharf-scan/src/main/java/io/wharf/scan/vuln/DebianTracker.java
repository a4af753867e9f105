package io.wharf.scan.vuln;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.scan.vuln.Advisory.Affected;
import io.wharf.scan.vuln.Advisory.Event;
import io.wharf.scan.vuln.Advisory.Range;
import io.wharf.scan.vuln.Advisory.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Converts one source package's entry of the Debian security tracker's JSON
 * ({@code {pkg: {CVE: {description, releases: {bookworm: {status, fixed_version, urgency}}}}}}) into advisories:
 * one per (CVE, package), id {@code DEBIAN-<CVE>/<package>}, one affected entry per release the codename table
 * knows ({@code Debian:12} …). {@code fixed_version "0"} means the release was never affected (no entry); an
 * open issue has only {@code introduced: 0} (no fix yet); the urgency is the vendor label.
 */
final class DebianTracker {
    private DebianTracker() {
    }

    static List<Advisory> convert(String pkg, JsonNode cves) {
        List<Advisory> out = new ArrayList<>();
        var fields = cves.fields();
        for (int n = 0; fields.hasNext() && n < OsvRecords.MAX_LIST * 20; n++) {
            Map.Entry<String, JsonNode> cve = fields.next();
            Advisory a = advisory(pkg, cve.getKey(), cve.getValue());
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    private static Advisory advisory(String pkg, String cve, JsonNode entry) {
        if (!entry.isObject() || cve.isBlank() || cve.length() > 100) {
            return null;
        }
        List<Affected> affected = new ArrayList<>();
        var releases = entry.path("releases").fields();
        while (releases.hasNext()) {
            Map.Entry<String, JsonNode> r = releases.next();
            String number = Ecosystems.DEBIAN_CODENAMES.get(r.getKey());
            Affected a = number == null ? null : affected("Debian:" + number, pkg, r.getValue());
            if (a != null) {
                affected.add(a);
            }
        }
        if (affected.isEmpty()) {
            return null;
        }
        List<String> aliases = cve.startsWith("CVE-") ? List.of(cve) : List.of();
        String url = "https://security-tracker.debian.org/tracker/" + cve;
        return new Advisory("DEBIAN-" + cve + "/" + pkg, aliases, List.of(), null,
                OsvRecords.cap(OsvRecords.text(entry, "description")), List.of(), null, affected,
                List.of(new Reference("ADVISORY", url)), null, null);
    }

    private static Affected affected(String ecosystem, String pkg, JsonNode release) {
        String status = OsvRecords.text(release, "status");
        String fixed = OsvRecords.text(release, "fixed_version");
        String urgency = OsvRecords.text(release, "urgency");
        if ("0".equals(fixed) || "undetermined".equals(status) && fixed == null) {
            return null;
        }
        List<Event> events = new ArrayList<>(List.of(new Event("introduced", "0")));
        if (fixed != null && !fixed.isBlank() && "resolved".equals(status)) {
            events.add(new Event("fixed", fixed));
        } else if (!"open".equals(status)) {
            return null;
        }
        return new Affected(ecosystem, Ecosystems.normalizeName(ecosystem, pkg),
                List.of(new Range("ECOSYSTEM", events)), List.of(), List.of(), urgency);
    }
}
