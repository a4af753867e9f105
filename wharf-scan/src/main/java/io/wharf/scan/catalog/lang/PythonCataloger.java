package io.wharf.scan.catalog.lang;

import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Installed Python distributions: {@code *.dist-info/METADATA}, {@code *.egg-info/PKG-INFO},
 * {@code EGG-INFO/PKG-INFO} and {@code *.egg-info} files. Only the email-style header block is read
 * ({@code Name}, {@code Version}, {@code License-Expression} else {@code License}); the name is kept as
 * written (matching normalizes it per PEP 503).
 */
public final class PythonCataloger implements Cataloger {

    /** The header block is at the top; the description after it can be large and is not needed. */
    private static final long MAX_HEADER_BYTES = 1 << 20;

    private final LanguageLimits limits;

    public PythonCataloger(LanguageLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "python";
    }

    @Override
    public boolean wants(LayerEntry entry) {
        String p = entry.path();
        return entry.size() <= limits.maxTextBytes()
                && (p.endsWith(".dist-info/METADATA") || p.endsWith(".egg-info/PKG-INFO") || p.endsWith(".egg-info")
                || p.equals("EGG-INFO/PKG-INFO") || p.endsWith("/EGG-INFO/PKG-INFO"));
    }

    @Override
    public List<Pkg> read(LayerEntry entry, InputStream content) throws IOException {
        // only the head: the headers come first, the (possibly huge) description after the blank line
        String text = new String(content.readNBytes((int) MAX_HEADER_BYTES), StandardCharsets.UTF_8);
        String name = null;
        String version = null;
        String license = null;
        String expression = null;
        for (String line : text.split("\r?\n")) {
            if (line.isEmpty()) {
                break;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            String value = line.substring(colon + 1).strip();
            switch (line.substring(0, colon)) {
                case "Name" -> name = name == null ? value : name;
                case "Version" -> version = version == null ? value : version;
                case "License" -> license = license == null ? value : license;
                case "License-Expression" -> expression = value;
                default -> { }
            }
        }
        if (Bounded.blank(name) || Bounded.blank(version)) {
            return List.of();
        }
        String lic = !Bounded.blank(expression) ? expression
                : Bounded.blank(license) || license.equalsIgnoreCase("UNKNOWN") ? null : license;
        return List.of(new Pkg(PackageManager.PYPI, name, version, null, null, null, lic, entry.path()));
    }
}
