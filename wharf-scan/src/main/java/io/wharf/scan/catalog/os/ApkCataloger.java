package io.wharf.scan.catalog.os;

import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Alpine packages: the apk database {@code lib/apk/db/installed} ({@code X:value} lines, blank-line records). */
public final class ApkCataloger implements Cataloger {

    static final Set<String> PATHS = Set.of("lib/apk/db/installed", "usr/lib/apk/db/installed");

    @Override
    public String name() {
        return "apk";
    }

    @Override
    public boolean wants(LayerEntry entry) {
        return PATHS.contains(entry.path());
    }

    @Override
    public List<Pkg> read(LayerEntry entry, InputStream content) throws IOException {
        String text = new String(content.readAllBytes(), StandardCharsets.UTF_8);
        List<Pkg> pkgs = new ArrayList<>();
        Map<Character, String> record = new HashMap<>();
        for (String line : text.split("\r?\n", -1)) {
            if (line.isBlank()) {
                add(pkgs, record, entry.path());
                record.clear();
            } else if (line.length() >= 2 && line.charAt(1) == ':') {
                record.putIfAbsent(line.charAt(0), line.substring(2));
            }
        }
        add(pkgs, record, entry.path());
        return pkgs;
    }

    /** P name, V version, A arch, o origin (the aport: source name), L licence. */
    private static void add(List<Pkg> pkgs, Map<Character, String> record, String path) {
        String name = record.get('P');
        String version = record.get('V');
        if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
            return;
        }
        String origin = record.get('o');
        pkgs.add(new Pkg(PackageManager.APK, name, version, origin == null || origin.isEmpty() ? name : origin,
                null, record.get('A'), record.get('L'), path));
    }
}
