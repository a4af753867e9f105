package io.wharf.scan.layer;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * The scanner's way of reading a layer blob, for other analyses (layer insight): gzip, zstd or plain tar by the
 * first bytes, the uncompressed size bounded, tar metadata entries bounded, storage failures told apart from
 * damaged content. Each entry is offered with its bytes; what a visitor leaves unread is skipped.
 */
public final class LayerTar {

    /** Sees each entry of the tar in order. */
    @FunctionalInterface
    public interface Visitor {
        void entry(TarArchiveEntry entry, InputStream content) throws IOException, AnalysisException;
    }

    private LayerTar() {
    }

    /**
     * Reads the whole layer. {@link IOException}: the blob could not be read (storage); {@link AnalysisException}
     * TOO_LARGE beyond {@code maxLayerBytes} uncompressed, UNREADABLE when it is not a tar in a known compression.
     */
    public static void walk(LayerSource layer, long maxLayerBytes, Visitor visitor) throws IOException, AnalysisException {
        walk(layer, maxLayerBytes, null, visitor);
    }

    /** As {@link #walk(LayerSource, long, Visitor)}, feeding every uncompressed byte to {@code diffId} (the layer's diffID). */
    static void walk(LayerSource layer, long maxLayerBytes, MessageDigest diffId, Visitor visitor)
            throws IOException, AnalysisException {
        try (InputStream raw = LayerStreams.source(layer.content().open())) {
            LayerStreams.Hashing counted = new LayerStreams.Hashing(LayerStreams.decompressed(raw), diffId, maxLayerBytes);
            TarArchiveInputStream tar = new BoundedTarInputStream(counted, LayerReader.MAX_TAR_METADATA);
            TarArchiveEntry entry;
            while ((entry = next(tar, layer)) != null) {
                visitor.entry(entry, tar);
            }
            counted.drain(); // the padding after the end blocks: the diffID covers every byte
        } catch (LayerStreams.SourceFailure e) {
            throw new IOException("reading layer " + layer.digest() + ": " + e.getMessage(), e.getCause());
        } catch (LayerStreams.TooLarge e) {
            throw new AnalysisException(AnalysisException.Reason.TOO_LARGE, "layer " + layer.digest() + " is " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new AnalysisException(AnalysisException.Reason.UNREADABLE,
                    "layer " + layer.digest() + " is not a readable tar: " + e.getMessage(), e);
        }
    }

    private static TarArchiveEntry next(TarArchiveInputStream tar, LayerSource layer) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IllegalArgumentException e) {
            throw new IOException("damaged tar header in " + layer.digest(), e);
        }
    }
}
