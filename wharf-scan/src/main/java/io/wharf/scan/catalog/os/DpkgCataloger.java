package io.wharf.scan.catalog.os;

import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian packages: {@code var/lib/dpkg/status} and distroless {@code var/lib/dpkg/status.d/*} (one control
 * stanza per file; the {@code *.md5sums} beside them are file lists, not packages).
 */
public final class DpkgCataloger implements Cataloger {

    static final String STATUS = "var/lib/dpkg/status";
    static final String STATUS_D = "var/lib/dpkg/status.d/";

    @Override
    public String name() {
        return "dpkg";
    }

    @Override
    public boolean wants(LayerEntry entry) {
        String path = entry.path();
        return path.equals(STATUS) || path.startsWith(STATUS_D) && path.indexOf('/', STATUS_D.length()) < 0
                && !path.endsWith(".md5sums");
    }

    @Override
    public List<Pkg> read(LayerEntry entry, InputStream content) throws IOException {
        String text = new String(content.readAllBytes(), StandardCharsets.UTF_8);
        List<Pkg> pkgs = new ArrayList<>();
        for (Map<String, String> stanza : Stanzas.parse(text)) {
            Pkg pkg = pkg(stanza, entry.path());
            if (pkg != null) {
                pkgs.add(pkg);
            }
        }
        return pkgs;
    }

    /** A package only when installed: the third word of {@code Status} (distroless stanzas have no Status). */
    private static Pkg pkg(Map<String, String> stanza, String path) {
        String name = stanza.get("Package");
        String version = stanza.get("Version");
        String status = stanza.get("Status");
        if (name == null || name.isEmpty() || version == null || version.isEmpty()) {
            return null;
        }
        if (status != null) {
            String[] words = status.split("\\s+");
            if (words.length < 3 || !words[2].equals("installed")) {
                return null;
            }
        }
        String sourceName = name;
        String sourceVersion = null;
        String source = stanza.get("Source");
        if (source != null && !source.isEmpty()) {
            int paren = source.indexOf('(');
            sourceName = (paren < 0 ? source : source.substring(0, paren)).strip();
            if (paren >= 0 && source.endsWith(")")) {
                String v = source.substring(paren + 1, source.length() - 1).strip();
                sourceVersion = v.isEmpty() || v.equals(version) ? null : v;
            }
            if (sourceName.isEmpty()) {
                sourceName = name;
            }
        }
        return new Pkg(PackageManager.DPKG, name, version, sourceName, sourceVersion,
                stanza.get("Architecture"), null, path);
    }
}
