package io.wharf.scan.catalog.lang;

import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code yarn.lock} outside {@code node_modules}, both yarn v1's own format
 * ({@code "a@^1", a@~1.0:} / {@code   version "1.2.3"}) and Berry's YAML subset
 * ({@code "a@npm:^1":} / {@code   version: 1.2.3}). Only the top-level keys and their {@code version}
 * line are read. Berry entries whose descriptor is not {@code npm:} (workspace, patch, link, portal,
 * file) are skipped: they are local code or duplicates of the npm entry.
 */
public final class YarnLockCataloger implements Cataloger {

    private final LanguageLimits limits;

    public YarnLockCataloger(LanguageLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "yarn-lock";
    }

    @Override
    public boolean wants(LayerEntry entry) {
        return entry.path().endsWith("yarn.lock") && entry.fileName().equals("yarn.lock")
                && !entry.path().contains("node_modules/") && entry.size() <= limits.maxTextBytes();
    }

    @Override
    public List<Pkg> read(LayerEntry entry, InputStream content) throws IOException {
        String text = Bounded.text(content, limits.maxTextBytes());
        if (text == null) {
            return List.of();
        }
        boolean berry = text.contains("\n__metadata:") || text.startsWith("__metadata:");
        Set<String> seen = new LinkedHashSet<>();
        List<Pkg> out = new ArrayList<>();
        String name = null;
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!Character.isWhitespace(line.charAt(0))) {
                name = line.endsWith(":") ? nameOf(line.substring(0, line.length() - 1), berry) : null;
            } else if (name != null && isVersionLine(line)) {
                String version = Bounded.unquote(line.strip().substring("version".length()).replaceFirst("^:", ""));
                if (!version.isEmpty() && seen.add(name + "@" + version)) {
                    out.add(new Pkg(PackageManager.NPM, name, version, null, null, null, null, entry.path()));
                }
                name = null;
            }
        }
        return out;
    }

    private static boolean isVersionLine(String line) {
        String t = line.strip();
        return t.startsWith("version ") || t.startsWith("version:") || t.startsWith("version\t");
    }

    /** The package name of a key line's first descriptor, or null when it is not a registry package. */
    static String nameOf(String key, boolean berry) {
        // v1 quotes each descriptor ("a@^1", "a@^2"), Berry the whole list ("a@npm:^1, a@npm:^2")
        String first = Bounded.unquote(Bounded.unquote(key).split(",", 2)[0]);
        int at = first.indexOf('@', 1);
        if (at <= 0 || first.equals("__metadata")) {
            return null;
        }
        String range = first.substring(at + 1);
        if (berry && !range.startsWith("npm:")) {
            return null;
        }
        if (!berry && (range.startsWith("file:") || range.startsWith("link:"))) {
            return null;
        }
        return first.substring(0, at);
    }
}
