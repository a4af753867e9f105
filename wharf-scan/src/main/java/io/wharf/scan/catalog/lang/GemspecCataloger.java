package io.wharf.scan.catalog.lang;

import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Installed RubyGems: {@code …/specifications/*.gemspec} (the stubs {@code gem install} writes). The Ruby is
 * not evaluated: {@code <var>.name = "x"}, {@code <var>.version = "1.2.3"} (or {@code Gem::Version.new("…")})
 * and the first of {@code <var>.license(s)} are taken by regular expression, line by line.
 */
public final class GemspecCataloger implements Cataloger {

    private static final String STR = "[\"']([^\"']{1,256})[\"']";
    private static final Pattern NAME = Pattern.compile("^\\s*\\w+\\.name\\s*=\\s*" + STR);
    private static final Pattern VERSION =
            Pattern.compile("^\\s*\\w+\\.version\\s*=\\s*(?:Gem::Version\\.new\\(\\s*)?" + STR);
    private static final Pattern LICENSE = Pattern.compile("^\\s*\\w+\\.licenses?\\s*=\\s*\\[?\\s*" + STR);
    /** Longer lines are skipped before any regular expression sees them. */
    private static final int MAX_LINE = 4096;

    private final LanguageLimits limits;

    public GemspecCataloger(LanguageLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "gemspec";
    }

    @Override
    public boolean wants(LayerEntry entry) {
        String p = entry.path();
        return p.endsWith(".gemspec") && entry.size() <= limits.maxTextBytes()
                && (p.startsWith("specifications/") || p.contains("/specifications/"))
                && p.lastIndexOf('/') == p.lastIndexOf("specifications/") + "specifications".length();
    }

    @Override
    public List<Pkg> read(LayerEntry entry, InputStream content) throws IOException {
        String text = Bounded.text(content, limits.maxTextBytes());
        if (text == null) {
            return List.of();
        }
        String name = null;
        String version = null;
        String license = null;
        for (String line : text.split("\r?\n")) {
            if (line.length() > MAX_LINE) {
                continue;
            }
            name = name != null ? name : group(NAME, line);
            version = version != null ? version : group(VERSION, line);
            license = license != null ? license : group(LICENSE, line);
        }
        if (name == null || version == null) {
            return List.of();
        }
        return List.of(new Pkg(PackageManager.GEM, name, version, null, null, null, license, entry.path()));
    }

    private static String group(Pattern p, String line) {
        Matcher m = p.matcher(line);
        return m.find() ? m.group(1) : null;
    }
}
