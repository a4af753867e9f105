package io.wharf.scan.insight;

import io.wharf.core.model.Digest;
import io.wharf.scan.insight.InsightEntry.Type;
import io.wharf.scan.layer.AnalysisException;
import io.wharf.scan.layer.LayerSource;
import io.wharf.scan.layer.LayerTar;
import io.wharf.scan.layer.PathNames;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Reads every entry of one layer (files with their sizes and content hashes, directories, links, whiteouts and
 * opaque markers), at most {@code maxEntries} of them. A path the tar holds twice keeps its last entry, as
 * extraction does; the earlier file's bytes are counted as shadowed.
 */
public final class LayerInsightReader {
    static final String WHITEOUT = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    private static final int HASH_BYTES = 16;

    private final long maxLayerBytes;
    private final int maxEntries;

    public LayerInsightReader(long maxLayerBytes, int maxEntries) {
        this.maxLayerBytes = maxLayerBytes;
        this.maxEntries = maxEntries;
    }

    public LayerEntries read(LayerSource layer) throws IOException, AnalysisException {
        Map<String, InsightEntry> byKey = new HashMap<>();
        long[] bytes = new long[2]; // file bytes, shadowed bytes
        LayerTar.walk(layer, maxLayerBytes, (entry, content) -> {
            InsightEntry e = entry(entry, content);
            if (e == null) {
                return;
            }
            if (e.type() == Type.FILE) {
                bytes[0] += e.size();
            }
            InsightEntry before = byKey.put(e.path() + (e.type().removes() ? "\0" + e.type() : ""), e);
            if (before != null && before.type() == Type.FILE) {
                bytes[1] += before.size();
            }
            if (byKey.size() > maxEntries) {
                throw new AnalysisException(AnalysisException.Reason.TOO_LARGE,
                        "layer " + layer.digest() + " has more than " + maxEntries + " entries");
            }
        });
        List<InsightEntry> sorted = new ArrayList<>(byKey.values());
        sorted.sort(InsightEntry.ORDER);
        return new LayerEntries(sorted, bytes[0], bytes[1]);
    }

    /** Null for entries no extraction would create (a name climbing out of the root, the root itself). */
    private static InsightEntry entry(TarArchiveEntry entry, InputStream content) throws IOException {
        String path = PathNames.normalize(entry.getName());
        if (path == null) {
            return null;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        String parent = PathNames.parent(path);
        if (name.equals(OPAQUE)) {
            return parent.isEmpty() ? null : new InsightEntry(parent, Type.OPAQUE, 0, null, null);
        }
        if (name.startsWith(WHITEOUT)) {
            String hidden = name.substring(WHITEOUT.length());
            if (hidden.isEmpty()) {
                return null;
            }
            return new InsightEntry(parent.isEmpty() ? hidden : parent + "/" + hidden, Type.WHITEOUT, 0, null, null);
        }
        if (entry.isDirectory()) {
            return new InsightEntry(path, Type.DIRECTORY, 0, null, null);
        }
        if (entry.isSymbolicLink()) {
            return new InsightEntry(path, Type.SYMLINK, 0, null, entry.getLinkName());
        }
        if (entry.isLink()) {
            return new InsightEntry(path, Type.HARDLINK, 0, null, entry.getLinkName());
        }
        if (entry.isFile()) {
            return new InsightEntry(path, Type.FILE, entry.getSize(), hash(content), null);
        }
        return new InsightEntry(path, Type.OTHER, 0, null, null);
    }

    private static byte[] hash(InputStream content) throws IOException {
        MessageDigest sha256 = Digest.Algorithm.SHA256.newMessageDigest();
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = content.read(buffer)) > 0) {
            sha256.update(buffer, 0, n);
        }
        return Arrays.copyOf(sha256.digest(), HASH_BYTES);
    }
}
