package io.wharf.scan.layer;

import io.wharf.scan.model.Pkg;
import java.util.List;
import java.util.Map;

/**
 * What one layer holds for the analyzer: the result of each file a cataloger read, whiteouts, opaque
 * directories, links and texts needed for OS detection. Serialized (JSON, gzip) into the {@link LayerCache}.
 *
 * @param diffId       the digest computed from the layer's uncompressed bytes ({@code sha256:…})
 * @param files        path → the packages the cataloger found there (possibly none: the file still hides lower ones)
 * @param whiteouts    paths deleted from lower layers ({@code dir/.wh.NAME} → {@code dir/NAME})
 * @param opaqueDirs   directories whose lower-layer content is hidden ({@code dir/.wh..wh..opq} → {@code dir})
 * @param links        symlink or hard-link path → normalized target, for the OS-release paths only
 * @param osTexts      OS-release path → its text (small files only)
 * @param skippedFiles wanted files skipped because they exceed the per-file limit
 */
public record LayerAnalysis(String diffId, Map<String, List<Pkg>> files, List<String> whiteouts,
                            List<String> opaqueDirs, Map<String, String> links, Map<String, String> osTexts,
                            int skippedFiles) {

    public LayerAnalysis {
        files = Map.copyOf(files);
        whiteouts = List.copyOf(whiteouts);
        opaqueDirs = List.copyOf(opaqueDirs);
        links = Map.copyOf(links);
        osTexts = Map.copyOf(osTexts);
    }
}
