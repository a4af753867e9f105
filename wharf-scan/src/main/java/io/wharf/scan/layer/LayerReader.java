package io.wharf.scan.layer;

import io.wharf.core.model.Digest;
import io.wharf.scan.model.Pkg;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads one layer blob once: decompresses, hashes (the diffID), offers files to catalogers, notes whiteouts. */
final class LayerReader {

    private static final Logger LOG = LoggerFactory.getLogger(LayerReader.class);
    static final String WHITEOUT = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    /** The files OS detection reads; kept as text (and as links) in every layer that has them. */
    static final Set<String> OS_PATHS = Set.of("etc/os-release", "usr/lib/os-release", "etc/alpine-release",
            "etc/debian_version");
    private static final int MAX_OS_TEXT = 64 * 1024;
    /** PAX headers and GNU long names above this are refused (real ones are a few hundred bytes). */
    static final long MAX_TAR_METADATA = 1024 * 1024;

    private final List<Cataloger> catalogers;
    private final ImageAnalyzer.Limits limits;
    private final int maxRecords;

    /** @param maxRecords how many paths (files, whiteouts, links) one layer may leave in its analysis */
    LayerReader(List<Cataloger> catalogers, ImageAnalyzer.Limits limits, int maxRecords) {
        this.catalogers = catalogers;
        this.limits = limits;
        this.maxRecords = maxRecords;
    }

    /** Everything the analyzer keeps of the layer; the stream is closed. */
    LayerAnalysis read(LayerSource layer) throws IOException, AnalysisException {
        MessageDigest sha256 = Digest.Algorithm.SHA256.newMessageDigest();
        Collector collector = new Collector();
        LayerTar.walk(layer, limits.maxLayerBytes(), sha256, (entry, tar) -> {
            collector.accept(entry, tar);
            if (collector.records() > maxRecords) {
                throw new AnalysisException(AnalysisException.Reason.TOO_LARGE, "layer " + layer.digest()
                        + " has more than " + maxRecords + " whiteouts and package files");
            }
        });
        return collector.result(Digest.of(Digest.Algorithm.SHA256, sha256.digest()).toString());
    }

    /** Per-layer state while the tar streams by. */
    private final class Collector {
        private final Map<String, List<Pkg>> files = new LinkedHashMap<>();
        private final List<String> whiteouts = new ArrayList<>();
        private final List<String> opaqueDirs = new ArrayList<>();
        private final Map<String, String> links = new LinkedHashMap<>();
        private final Map<String, String> osTexts = new LinkedHashMap<>();
        private int skipped;

        void accept(TarArchiveEntry entry, InputStream tar) throws IOException {
            String path = PathNames.normalize(entry.getName());
            if (path == null) {
                return;
            }
            String name = path.substring(path.lastIndexOf('/') + 1);
            if (name.equals(OPAQUE)) {
                opaqueDirs.add(PathNames.parent(path));
            } else if (name.startsWith(WHITEOUT)) {
                String parent = PathNames.parent(path);
                String hidden = name.substring(WHITEOUT.length());
                whiteouts.add(parent.isEmpty() ? hidden : parent + "/" + hidden);
            } else if (entry.isSymbolicLink() && OS_PATHS.contains(path)) {
                String target = PathNames.resolveLink(path, entry.getLinkName());
                if (target != null) {
                    osTexts.remove(path);
                    links.put(path, target);
                }
            } else if (entry.isLink() && OS_PATHS.contains(path)) {
                String target = PathNames.normalize(entry.getLinkName());
                if (target != null) {
                    osTexts.remove(path);
                    links.put(path, target);
                }
            } else if (entry.isFile()) {
                regularFile(new LayerEntry(path, entry.getSize(), entry.getMode() & 07777), tar);
            }
        }

        private void regularFile(LayerEntry file, InputStream tar) throws IOException {
            links.remove(file.path());
            if (OS_PATHS.contains(file.path())) {
                if (file.size() <= MAX_OS_TEXT) {
                    osTexts.put(file.path(), new String(tar.readNBytes(MAX_OS_TEXT), StandardCharsets.UTF_8));
                }
                return;
            }
            for (Cataloger cataloger : catalogers) {
                if (cataloger.wants(file)) {
                    if (file.size() > limits.maxFileBytes()) {
                        skipped++;
                        LOG.debug("skipping {} ({} bytes > max-file-bytes)", file.path(), file.size());
                    } else {
                        files.put(file.path(), catalogued(cataloger, file, tar));
                    }
                    return;
                }
            }
        }

        private List<Pkg> catalogued(Cataloger cataloger, LayerEntry file, InputStream tar) throws IOException {
            Tracked content = new Tracked(tar);
            try {
                return List.copyOf(cataloger.read(file, content));
            } catch (IOException e) {
                if (content.failure != null) {
                    throw content.failure;
                }
                LOG.debug("{} could not read {}: {}", cataloger.name(), file.path(), e.toString());
                return List.of();
            } catch (RuntimeException e) {
                LOG.debug("{} failed on {}: {}", cataloger.name(), file.path(), e.toString());
                return List.of();
            }
        }

        int records() {
            return files.size() + whiteouts.size() + opaqueDirs.size() + links.size() + osTexts.size();
        }

        LayerAnalysis result(String diffId) {
            return new LayerAnalysis(diffId, files, whiteouts, opaqueDirs, links, osTexts, skipped);
        }
    }

    /**
     * The entry's bytes as a cataloger sees them: closing is a no-op, and a failure of the layer stream
     * itself is remembered so it is not mistaken for bad content.
     */
    private static final class Tracked extends FilterInputStream {
        IOException failure;

        Tracked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public void close() {
            // the tar stream stays open for the next entry
        }
    }
}
