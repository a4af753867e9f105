package io.wharf.scan.catalog.lang;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.PackageManager;
import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * npm lock files ({@code package-lock.json}) outside {@code node_modules}: lockfile v2/v3 {@code packages}
 * keyed by {@code node_modules/…} paths, else v1's nested {@code dependencies}. The root ({@code ""}),
 * workspace directories and {@code link: true} entries are skipped.
 */
public final class NpmLockCataloger implements Cataloger {

    private static final int MAX_V1_DEPTH = 64;
    private static final String NM = "node_modules/";

    private final LanguageLimits limits;

    public NpmLockCataloger(LanguageLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "npm-lock";
    }

    @Override
    public boolean wants(LayerEntry entry) {
        String p = entry.path();
        return p.endsWith("package-lock.json") && entry.fileName().equals("package-lock.json")
                && !p.contains("node_modules/") && entry.size() <= limits.maxTextBytes();
    }

    @Override
    public List<Pkg> read(LayerEntry entry, InputStream content) throws IOException {
        byte[] bytes = Bounded.readAll(content, limits.maxTextBytes());
        List<Pkg> out = new ArrayList<>();
        if (bytes != null) {
            try (JsonParser p = Json.MAPPER.createParser(bytes)) {
                readLock(p, entry.path(), out);
            } catch (IOException | RuntimeException e) {
                return List.of(); // not JSON, or cut short: a lock file is all or nothing
            }
        }
        return out;
    }

    /**
     * Streams the top-level object: a v2/v3 {@code packages} map one entry at a time (a large lock file never
     * becomes one tree); v1's {@code dependencies} only when there is no {@code packages} (v2 carries both).
     */
    private static void readLock(JsonParser p, String file, List<Pkg> out) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return;
        }
        boolean packages = false;
        List<Pkg> v1 = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("packages") && value == JsonToken.START_OBJECT) {
                packages = true;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    p.nextToken();
                    addPackage(key, Json.MAPPER.readTree(p), file, out);
                }
            } else if (field.equals("dependencies") && value == JsonToken.START_OBJECT && !packages) {
                readV1(Json.MAPPER.readTree(p), file, v1, 0);
            } else {
                p.skipChildren();
            }
        }
        if (!packages) {
            out.addAll(v1);
        }
    }

    private static void addPackage(String key, JsonNode p, String file, List<Pkg> out) {
        int at = key.lastIndexOf(NM);
        if (at < 0 || !p.isObject() || p.path("link").asBoolean(false)) {
            return;
        }
        String name = key.substring(at + NM.length());
        String version = Json.text(p, "version");
        if (!name.isEmpty() && version != null) {
            out.add(new Pkg(PackageManager.NPM, name, version, null, null, null, Json.npmLicense(p), file));
        }
    }

    private static void readV1(JsonNode deps, String file, List<Pkg> out, int depth) {
        if (deps == null || !deps.isObject() || depth > MAX_V1_DEPTH) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = deps.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode d = e.getValue();
            if (!d.isObject()) {
                continue;
            }
            String version = Json.text(d, "version");
            // v1 writes "file:…"/"link:" versions for local packages: not registry packages
            if (version != null && !version.startsWith("file:") && !version.startsWith("link:")) {
                out.add(new Pkg(PackageManager.NPM, e.getKey(), version, null, null, null, null, file));
            }
            readV1(d.get("dependencies"), file, out, depth + 1);
        }
    }
}
