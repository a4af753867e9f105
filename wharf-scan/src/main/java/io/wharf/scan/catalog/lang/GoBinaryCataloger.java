package io.wharf.scan.catalog.lang;

import io.wharf.scan.layer.Cataloger;
import io.wharf.scan.layer.LayerEntry;
import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;

/**
 * Go binaries: executables up to {@link LanguageLimits#maxGoBinaryBytes()} are streamed and searched for the
 * build information (see {@link GoBuildInfo}); yields {@code stdlib}, the main module and the dependencies.
 */
public final class GoBinaryCataloger implements Cataloger {

    /** Executables that are scripts or libraries by name: never Go programs worth reading. */
    private static final Set<String> SKIPPED_EXTENSIONS =
            Set.of("sh", "py", "pl", "rb", "js", "bash", "txt", "jar", "so", "a", "o", "h", "c");
    /** Smaller than any Go executable (a stripped hello world is ~1 MiB). */
    private static final long MIN_SIZE = 64 * 1024;

    private final LanguageLimits limits;

    public GoBinaryCataloger(LanguageLimits limits) {
        this.limits = limits;
    }

    @Override
    public String name() {
        return "go-binary";
    }

    @Override
    public boolean wants(LayerEntry entry) {
        if (!entry.executable() || entry.size() < MIN_SIZE || entry.size() > limits.maxGoBinaryBytes()) {
            return false;
        }
        String file = entry.fileName();
        int dot = file.lastIndexOf('.');
        return dot < 0 || !SKIPPED_EXTENSIONS.contains(file.substring(dot + 1));
    }

    @Override
    public List<Pkg> read(LayerEntry entry, InputStream content) throws IOException {
        GoBuildInfo.Info info = GoBuildInfo.find(content, GoBuildInfo.DEFAULT_CHUNK);
        return info == null ? List.of() : GoBuildInfo.packages(info, entry.path());
    }
}
