package io.wharf.scan.layer;

import io.wharf.scan.model.OsRelease;
import java.util.HashMap;
import java.util.Map;

/** Parses {@code os-release} (freedesktop.org format) and the distribution-specific release files. */
public final class OsReleases {

    private OsReleases() {
    }

    /** {@code ID}, {@code VERSION_ID}, {@code VERSION_CODENAME}, {@code PRETTY_NAME}; null without an ID. */
    public static OsRelease parse(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            int eq = trimmed.indexOf('=');
            if (trimmed.startsWith("#") || eq <= 0) {
                continue;
            }
            values.put(trimmed.substring(0, eq), unquote(trimmed.substring(eq + 1).strip()));
        }
        String id = blankToNull(values.get("ID"));
        if (id == null) {
            return null;
        }
        return new OsRelease(id.toLowerCase(), blankToNull(values.get("VERSION_ID")),
                blankToNull(values.get("VERSION_CODENAME")), blankToNull(values.get("PRETTY_NAME")));
    }

    /** {@code etc/alpine-release}: the version alone. */
    static OsRelease alpine(String text) {
        String version = blankToNull(text.strip());
        return new OsRelease("alpine", version, null, version == null ? null : "Alpine Linux v" + version);
    }

    /** {@code etc/debian_version}: {@code 12.5} (major release 12) or a codename like {@code trixie/sid}. */
    static OsRelease debian(String text) {
        String value = text.strip();
        if (value.matches("\\d+(\\.\\d+)*")) {
            return new OsRelease("debian", value.split("\\.")[0], null, null);
        }
        String codename = blankToNull(value.split("/", -1)[0]); // -1: "/" alone still has a first part
        return new OsRelease("debian", null, codename, null);
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                || value.startsWith("'") && value.endsWith("'"))) {
            value = value.substring(1, value.length() - 1);
        }
        return value.replace("\\\"", "\"").replace("\\$", "$").replace("\\`", "`").replace("\\\\", "\\");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
