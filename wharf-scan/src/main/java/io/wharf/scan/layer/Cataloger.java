package io.wharf.scan.layer;

import io.wharf.scan.model.Pkg;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Finds packages in the files of one layer. The layer reader streams each tar entry once and offers every
 * regular file to every cataloger; a cataloger that {@link #wants} it gets the entry's bytes, read at most
 * once by at most one cataloger per file (the first that wants it). Results are cached per layer, so a
 * cataloger must depend on nothing but the file's path and bytes.
 */
public interface Cataloger {

    /** Stable name; part of the layer cache's version key (see {@link #version}). */
    String name();

    /** Bumped when the cataloger would find something else in the same bytes: invalidates cached layers. */
    default int version() {
        return 1;
    }

    /** Whether to read this file. Decide from the path, size and mode only; keep it cheap (called per file). */
    boolean wants(LayerEntry entry);

    /**
     * The packages the file declares. {@code content} holds exactly the entry's bytes and must not be closed;
     * a file that is not what its path promised yields an empty list, never an exception for bad content.
     * {@link IOException} only for failures of the stream itself.
     */
    List<Pkg> read(LayerEntry entry, InputStream content) throws IOException;
}
