package io.wharf.scan.catalog.lang;

import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Installed npm packages: the {@code package.json} of each package directory directly under a
 * {@code node_modules} ({@code node_modules/a/package.json}, {@code node_modules/@s/b/package.json}).
 * Other package.json files (test fixtures deep inside a package, the application's own) are not wanted.
 */
public final class NpmPackageCataloger implements Cataloger {

    private final LanguageLimits limits;

    public NpmPackageCataloger(LanguageLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "npm-package";
    }

    @Override
    public boolean wants(LayerEntry entry) {
        String p = entry.path();
        return p.endsWith("/package.json") && entry.size() <= limits.maxTextBytes() && isPackageDir(p);
    }

    /** {@code …node_modules/<name>/package.json} or {@code …node_modules/@scope/<name>/package.json}. */
    static boolean isPackageDir(String path) {
        String[] seg = path.split("/");
        int n = seg.length;
        if (n >= 3 && seg[n - 3].equals("node_modules") && !seg[n - 2].startsWith("@")) {
            return !seg[n - 2].startsWith(".");
        }
        return n >= 4 && seg[n - 4].equals("node_modules") && seg[n - 3].startsWith("@") && seg[n - 3].length() > 1;
    }

    @Override
    public List<Pkg> read(LayerEntry entry, InputStream content) throws IOException {
        byte[] bytes = Bounded.readAll(content, limits.maxTextBytes());
        JsonNode pkg = bytes == null ? null : Json.object(bytes);
        if (pkg == null) {
            return List.of();
        }
        String name = Json.text(pkg, "name");
        String version = Json.text(pkg, "version");
        if (name == null || version == null) {
            return List.of();
        }
        return List.of(new Pkg(PackageManager.NPM, name, version, null, null, null, Json.npmLicense(pkg), entry.path()));
    }
}
