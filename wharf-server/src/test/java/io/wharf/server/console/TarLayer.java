package io.wharf.server.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** A real tar.gz image layer, built entry by entry: files of known sizes and OCI whiteouts. */
final class TarLayer {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TarLayer() throws IOException {
        tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes));
    }

    /** A regular file of {@code size} bytes of {@code fill}. */
    TarLayer file(String name, int size, char fill) throws IOException {
        byte[] content = String.valueOf(fill).repeat(size).getBytes(StandardCharsets.US_ASCII);
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
        return this;
    }

    /** {@code dir/.wh.name}: removes {@code dir/name} of the layers below. */
    TarLayer whiteout(String dir, String name) throws IOException {
        return file(dir + "/.wh." + name, 0, ' ');
    }

    byte[] gzip() throws IOException {
        tar.close();
        return bytes.toByteArray();
    }
}
