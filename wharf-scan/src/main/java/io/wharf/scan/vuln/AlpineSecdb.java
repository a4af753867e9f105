package io.wharf.scan.vuln;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.scan.version.VersionSchemes;
import io.wharf.scan.vuln.Advisory.Affected;
import io.wharf.scan.vuln.Advisory.Event;
import io.wharf.scan.vuln.Advisory.Range;
import io.wharf.scan.vuln.Advisory.Reference;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts an Alpine secdb file ({@code {distroversion: "v3.19", packages: [{pkg: {name, secfixes:
 * {"1.2.3-r0": ["CVE-…"]}}}]}}) into advisories: one per (CVE, release, origin package), id
 * {@code ALPINE-<CVE>/<release>/<package>}, affected {@code introduced: 0, fixed: <version>} in
 * {@code Alpine:<release>}. A fix version {@code 0} means the package was never affected (no advisory).
 */
final class AlpineSecdb {
    private AlpineSecdb() {
    }

    static List<Advisory> convert(JsonNode root) {
        String release = OsvRecords.text(root, "distroversion");
        List<Advisory> out = new ArrayList<>();
        if (release == null || !release.startsWith("v")) {
            return out;
        }
        String ecosystem = "Alpine:" + release.strip();
        for (JsonNode p : root.path("packages")) {
            String name = OsvRecords.text(p.path("pkg"), "name");
            if (name != null && !name.isBlank()) {
                out.addAll(convert(ecosystem, name.strip(), p.path("pkg").path("secfixes")));
            }
        }
        return out;
    }

    private static List<Advisory> convert(String ecosystem, String name, JsonNode secfixes) {
        Map<String, String> fixOf = new LinkedHashMap<>();
        var fixes = secfixes.fields();
        while (fixes.hasNext()) {
            Map.Entry<String, JsonNode> fix = fixes.next();
            for (String line : OsvRecords.strings(fix.getValue())) {
                for (String id : line.split("\\s+")) {
                    if (!id.isBlank() && !fix.getKey().equals("0")) {
                        fixOf.merge(id, fix.getKey(), (a, b) -> VersionSchemes.apk().compare(a, b) <= 0 ? a : b);
                    }
                }
            }
        }
        List<Advisory> out = new ArrayList<>();
        String release = ecosystem.substring("Alpine:".length());
        fixOf.forEach((id, version) -> {
            Affected a = new Affected(ecosystem, Ecosystems.normalizeName(ecosystem, name),
                    List.of(new Range("ECOSYSTEM", List.of(new Event("introduced", "0"), new Event("fixed", version)))),
                    List.of(), List.of(), null);
            List<String> aliases = id.startsWith("CVE-") ? List.of(id) : List.of();
            out.add(new Advisory("ALPINE-" + id + "/" + release + "/" + name, aliases, List.of(), null, null, List.of(),
                    null, List.of(a), List.of(new Reference("ADVISORY", "https://security.alpinelinux.org/vuln/" + id)),
                    null, null));
        });
        return out;
    }
}
