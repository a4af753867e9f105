package io.wharf.scan.catalog.lang;

import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Cargo.lock}: each {@code [[package]]} table's {@code name}, {@code version} and {@code source}. Only
 * packages with a {@code source} (a registry such as crates.io, or git) are recorded: packages without one
 * are the workspace's own crates and path dependencies, local code no advisory describes. The TOML subset
 * Cargo writes (one {@code key = "value"} per line) is parsed by hand.
 */
public final class CargoLockCataloger implements Cataloger {

    private final LanguageLimits limits;

    public CargoLockCataloger(LanguageLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "cargo-lock";
    }

    @Override
    public boolean wants(LayerEntry entry) {
        return entry.path().endsWith("Cargo.lock") && entry.fileName().equals("Cargo.lock")
                && entry.size() <= limits.maxTextBytes();
    }

    @Override
    public List<Pkg> read(LayerEntry entry, InputStream content) throws IOException {
        String text = Bounded.text(content, limits.maxTextBytes());
        if (text == null) {
            return List.of();
        }
        List<Pkg> out = new ArrayList<>();
        String[] table = null; // name, version, source of the [[package]] being read
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                add(out, table, entry.path());
                table = line.equals("[[package]]") ? new String[3] : null;
                continue;
            }
            int eq = line.indexOf('=');
            if (table == null || eq <= 0) {
                continue;
            }
            String value = Bounded.unquote(line.substring(eq + 1));
            switch (line.substring(0, eq).strip()) {
                case "name" -> table[0] = value;
                case "version" -> table[1] = value;
                case "source" -> table[2] = value;
                default -> { }
            }
        }
        add(out, table, entry.path());
        return out;
    }

    private static void add(List<Pkg> out, String[] t, String file) {
        if (t != null && !Bounded.blank(t[0]) && !Bounded.blank(t[1]) && !Bounded.blank(t[2])) {
            out.add(new Pkg(PackageManager.CARGO, t[0], t[1], null, null, null, null, file));
        }
    }
}
