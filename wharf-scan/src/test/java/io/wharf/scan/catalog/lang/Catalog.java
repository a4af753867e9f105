package io.wharf.scan.catalog.lang;

import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.Pkg;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test helper: offers bytes to a cataloger as the layer reader would (wants first, then read). */
final class Catalog {

    private Catalog() {
    }

    static LayerEntry file(String path, long size) {
        return new LayerEntry(path, size, 0644);
    }

    static List<Pkg> read(Cataloger c, String path, byte[] bytes) throws IOException {
        return read(c, new LayerEntry(path, bytes.length, 0644), bytes);
    }

    static List<Pkg> read(Cataloger c, LayerEntry entry, byte[] bytes) throws IOException {
        if (!c.wants(entry)) {
            throw new AssertionError(c.name() + " does not want " + entry.path());
        }
        return c.read(entry, new ByteArrayInputStream(bytes));
    }

    static List<Pkg> read(Cataloger c, String path, String text) throws IOException {
        return read(c, path, text.getBytes(StandardCharsets.UTF_8));
    }

    /** "name@version" of each package, for compact assertions. */
    static List<String> ids(List<Pkg> pkgs) {
        return pkgs.stream().map(p -> p.name() + "@" + p.version()).toList();
    }
}
